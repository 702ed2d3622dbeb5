"""``px.exports``: CSV/JSON dumps of an organisation's data, kept 24 hours."""

from __future__ import annotations

import builtins
import os
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from typing import Any, ClassVar, Literal

from .._files import Download, ProgressCallback
from .._many import RetrieveResult
from .._pagination import AsyncPaginator
from .._params import check_flag, check_text, enum_value, enum_values
from ..models import Export, ExportOrderBy, ExportResource, ExportStatus, SortDirection
from ._jobs import FileSpec, JobResource

__all__ = ["Exports"]


_DONE = "export files exist once the export is completed, and are kept for 24 hours"

ExportFile = Literal["json", "csv", "csv_error", "csv_sanitized"]


class Exports(JobResource[Export]):
    """Retrieve one export (with presigned file URLs on request), list them, wait for
    one to finish, and read or download its files."""

    path: ClassVar[str] = "/v1/exports"
    model = Export
    default_limit: ClassVar[int] = 10
    """The API's own default page size for exports."""
    id_name: ClassVar[str] = "export_id"
    final_statuses: ClassVar[frozenset[str]] = frozenset({"completed", "failed", "timed_out"})
    file_specs: ClassVar[Mapping[str, FileSpec]] = {
        "json": FileSpec("include_json", "json_url", "json", _DONE),
        "csv": FileSpec("include_csv", "csv_url", "csv", _DONE),
        "csv_error": FileSpec("include_csv", "csv_error_url", "csv", _DONE),
        "csv_sanitized": FileSpec("include_csv", "csv_sanitized_url", "csv", _DONE),
    }

    async def wait(
        self,
        export_id: str,
        *,
        timeout: float | None = 600.0,
        poll_interval: float = 1.0,
        max_poll_interval: float = 15.0,
        on_progress: Callable[[Export], object] | None = None,
    ) -> Export:
        """Poll until the export is completed, failed or timed_out; return it.

        ``on_progress`` receives every polled export. Raises ``WaitTimeoutError``
        (with ``.last``) after ``timeout`` seconds; ``timeout=None`` waits without a limit.
        """
        return await self._wait(export_id, timeout, poll_interval, max_poll_interval, on_progress)

    async def download(
        self,
        export_id: str,
        file: ExportFile,
        path: str | os.PathLike[str],
        *,
        on_progress: ProgressCallback | None = None,
    ) -> Download:
        """Fetch a fresh URL for one of the export's files and download it to ``path``.

        ``file`` is json, csv, csv_error or csv_sanitized. Atomic: ``path`` appears
        only once the whole file is there.
        """
        return await self._download(export_id, file, path, on_progress)

    def rows(
        self, export_id: str, *, format: Literal["json", "csv"] = "json"
    ) -> AsyncIterator[Any]:
        """The export's data rows, parsed as they stream in (dicts in both formats)."""
        if format not in ("json", "csv"):
            raise ValueError(f"format must be 'json' or 'csv', got {format!r}")
        return self._rows(export_id, format)

    async def retrieve(
        self, export_id: str, *, include_csv: bool = False, include_json: bool = False
    ) -> Export:
        """One export; ``include_json`` fills ``json_url``, ``include_csv`` the CSV URLs."""
        flags = _file_flags(include_csv, include_json)
        return await self._retrieve("export_id", export_id, flags)

    async def retrieve_many(
        self,
        export_ids: Iterable[str],
        *,
        concurrency: int = 8,
        fail_fast: bool = False,
        include_csv: bool = False,
        include_json: bool = False,
    ) -> builtins.list[RetrieveResult[Export]]:
        """Retrieve every id, ``concurrency`` at a time; one result per id, in order.

        A failed id does not stop the others: its result carries the error. With
        ``fail_fast=True`` the first error is raised and the rest are cancelled.
        """
        flags = _file_flags(include_csv, include_json)
        return await self._retrieve_many("export_id", export_ids, flags, concurrency, fail_fast)

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
    ) -> AsyncPaginator[Export]:
        """Every export matching the filters, fetched page by page.

        ``statuses`` takes one status or several (sent comma-separated); ``search``
        matches the export name; ``limit`` is the page size (10 when ``None``);
        ``concurrency=N`` > 1 fetches up to N pages at once after the first.
        """
        query: dict[str, str] = {}
        if order_by is not None:
            query["order_by"] = enum_value("order_by", order_by, ExportOrderBy)
        if direction is not None:
            query["direction"] = enum_value("direction", direction, SortDirection)
        if resource is not None:
            query["resource"] = enum_value("resource", resource, ExportResource)
        if statuses is not None:
            query["statuses"] = enum_values("statuses", statuses, ExportStatus)
        if search is not None:
            query["search"] = check_text("search", search)
        return self._list(query, page, limit, concurrency)


def _file_flags(include_csv: object, include_json: object) -> dict[str, bool]:
    return {
        "include_csv": check_flag("include_csv", include_csv),
        "include_json": check_flag("include_json", include_json),
    }
