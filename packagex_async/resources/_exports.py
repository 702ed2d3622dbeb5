"""``px.exports``: CSV/JSON dumps of an organisation's data, kept 24 hours.

Everything about exports is here: ``EXPORTS`` (path, model, id name, page size,
statuses, files, filters, create form) and the thin typed methods; see
``_batches`` for what else a resource needs (its model, one registry entry, its
public names).
"""

from __future__ import annotations

import builtins
import os
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from typing import Any, ClassVar, Literal, overload

from .._jobs._creates import CsvFieldOptions, ExportOptions, export_body
from .._listing._many import RetrieveResult
from .._listing._pagination import AsyncPaginator
from .._params import QueryValue, wrong_value
from .._settings import DEFAULT_POLL_INTERVAL, DEFAULT_WAIT_TIMEOUT
from .._specs import CreateSpec, FileSpec, Filter, ResourceSpec
from ..models import Export, ExportOrderBy, ExportResource, ExportStatus, SortDirection
from ._jobs import CSVRow, JobResource, JSONRow

__all__ = ["EXPORTS", "ExportFile", "Exports"]

_EXPORTED = "export files exist once the export is completed, and are kept for 24 hours"

EXPORTS = ResourceSpec(
    name="exports",
    noun="export",
    path="/v1/exports",
    model=Export,
    id_name="export_id",
    default_limit=10,
    final_statuses=frozenset({"completed", "failed", "timed_out"}),
    files=(
        FileSpec("json", "include_json", "json_url", "json", _EXPORTED),
        FileSpec("csv", "include_csv", "csv_url", "csv", _EXPORTED),
        FileSpec("csv_error", "include_csv", "csv_error_url", "csv", _EXPORTED),
        FileSpec("csv_sanitized", "include_csv", "csv_sanitized_url", "csv", _EXPORTED),
    ),
    filters=(
        Filter("order_by", ExportOrderBy),
        Filter("direction", SortDirection),
        Filter("resource", ExportResource),
        Filter("statuses", ExportStatus, many=True, help="one or more, comma-separated"),
        Filter("search", help="text to find in the export name"),
    ),
    create=CreateSpec(form="query", download="csv", resource_help="what to export"),
    columns=("id", "name", "status", "resource", "count_total", "created_at"),
)

_IF_UNSURE = (
    "The export may or may not have been created: look for it among the newest "
    "exports (px.exports.list(order_by='created_at', direction='desc')) before "
    "creating it again"
)

ExportFile = Literal["json", "csv", "csv_error", "csv_sanitized"]
"""The files of an export, as ``EXPORTS.files`` names them (a test keeps both equal)."""


class Exports(JobResource[Export, ExportFile]):
    """Retrieve one export (with presigned file URLs on request), list them, wait for
    one to finish, and read or download its files."""

    spec: ClassVar[ResourceSpec] = EXPORTS

    async def retrieve(
        self,
        export_id: str,
        *,
        include_json: bool = False,
        include_csv: bool = False,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> Export:
        """One export; ``include_json`` fills ``json_url``, ``include_csv`` the CSV URLs.

        ``extra_query`` adds query parameters the SDK does not model, sent as given.
        """
        query = self.spec.include_query(include_csv=include_csv, include_json=include_json)
        return await self._retrieve(export_id, query, extra_query)

    async def retrieve_many(
        self,
        export_ids: Iterable[str],
        *,
        concurrency: int = 8,
        fail_fast: bool = False,
        include_json: bool = False,
        include_csv: bool = False,
    ) -> builtins.list[RetrieveResult[Export]]:
        """Retrieve every id, ``concurrency`` at a time; one result per id, in order.

        A failed id does not stop the others: its result carries the error. With
        ``fail_fast=True`` the first error is raised and the rest are cancelled.
        """
        query = self.spec.include_query(include_csv=include_csv, include_json=include_json)
        return await self._retrieve_many(export_ids, query, concurrency, fail_fast)

    def list(
        self,
        *,
        order_by: ExportOrderBy | str | None = None,
        direction: SortDirection | str | None = None,
        resource: ExportResource | str | None = None,
        statuses: ExportStatus | str | Iterable[ExportStatus | str] | None = None,
        search: str | None = None,
        page: int | None = 1,
        limit: int | None = None,
        concurrency: int = 1,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> AsyncPaginator[Export]:
        """Every export matching the filters, fetched page by page.

        ``statuses`` takes one status or several (sent comma-separated); ``search``
        matches the export name; ``limit`` is the page size (10 when ``None``);
        ``concurrency=N`` > 1 fetches up to N pages at once after the first;
        ``extra_query`` adds filters the SDK does not model, sent as given.
        """
        query = self.spec.filter_query(locals())
        return self._list(query, page, limit, concurrency, extra_query)

    async def create(
        self,
        *,
        resource: ExportResource | str,
        options: ExportOptions | Mapping[str, Any] | None = None,
        csv_field_options: CsvFieldOptions | Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> Export:
        """Start an export of ``resource``; the new export (``queued``), as the API answered.

        ``options`` are the list API's filters and paging (``since()`` / ``until()``
        write date filters); ``csv_field_options`` shape the CSV. Never sent twice
        when it may have reached the server: a failure that leaves it unknown says
        how to look for the export.
        """
        body = export_body(resource, options, csv_field_options, extra_body)
        return await self._create(body, _IF_UNSURE)

    async def run(
        self,
        *,
        resource: ExportResource | str,
        options: ExportOptions | Mapping[str, Any] | None = None,
        csv_field_options: CsvFieldOptions | Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        path: str | os.PathLike[str] | None = None,
        file: ExportFile = "csv",
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        on_progress: Callable[[Export], object] | None = None,
    ) -> Export:
        """Create an export, wait until it is finished and, with ``path``, download ``file``.

        Returns the completed export; raises ``JobFailedError`` if it ended failed or
        timed_out, and ``WaitTimeoutError`` after ``timeout``. Every argument is
        checked before the export is created.
        """
        body = export_body(resource, options, csv_field_options, extra_body)
        plan = self._plan(path, file, timeout, poll_interval, on_progress)
        return await self._run(body, _IF_UNSURE, plan)

    @overload
    def rows(
        self, export_id: str, *, format: Literal["json"] = "json"
    ) -> AsyncIterator[JSONRow]: ...
    @overload
    def rows(self, export_id: str, *, format: Literal["csv"]) -> AsyncIterator[CSVRow]: ...
    @overload
    def rows(self, export_id: str, *, format: Literal["json", "csv"]) -> AsyncIterator[JSONRow]: ...
    def rows(
        self, export_id: str, *, format: Literal["json", "csv"] = "json"
    ) -> AsyncIterator[JSONRow]:
        """The export's data rows, parsed as they stream in.

        ``json`` yields each element of the file's array, an object (``dict[str, Any]``);
        ``csv`` yields ``dict[str, str]`` keyed by the header row.
        """
        if format not in ("json", "csv"):
            wrong_value(f"format must be 'json' or 'csv', got {format!r}")
        return self._rows(export_id, format)
