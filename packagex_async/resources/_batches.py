"""``px.batches``: bulk operations on contacts, groups, shipments and trackers.

Everything about batches is here: ``BATCHES`` (path, model, id name, page size,
statuses, files, filters, create arguments) and the thin typed methods. A resource
needs nothing else but its model in ``models.py``, its entry in the registry
(``resources/__init__.py``) and its names in the package's ``__init__.py``; the
client, the CLI, ``to_dict``/``to_json``, ``mock_packagex`` (``jobs[name]``) and the
fake's registry find it from there. For users' type checkers the mock also wants one
annotation (``MockPackageX.<name>``, which a test holds to the registry) and a
``make_<noun>`` factory of realistic values, both in ``testing/_mock.py``.
"""

from __future__ import annotations

import builtins
import os
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from typing import Any, ClassVar, Literal, overload

from .._jobs._creates import batch_body, check_batch_download
from .._listing._many import RetrieveResult
from .._listing._pagination import AsyncPaginator
from .._params import QueryValue
from .._settings import DEFAULT_POLL_INTERVAL, DEFAULT_WAIT_TIMEOUT
from .._specs import CreateArgument, CreateSpec, FileSpec, Filter, ResourceSpec
from ..models import (
    Batch,
    BatchAction,
    BatchMode,
    BatchResource,
    BatchStatus,
    BatchVia,
    DuplicateHandling,
)
from ._jobs import CSVRow, JobResource, JSONRow

__all__ = ["BATCHES", "BatchFile", "Batches"]


def _uploaded(kind: str) -> str:
    return f"{kind} files exist only for batches created with save_upload=true"


_RESULT = "result files exist only for batches created with save_result=true, once finished"
_ERRORS = "error files exist only for batches that rejected rows"

BATCHES = ResourceSpec(
    name="batches",
    noun="batch",
    path="/v1/batches",
    model=Batch,
    id_name="batch_id",
    default_limit=25,
    final_statuses=frozenset({"completed", "failed", "timed_out", "expired"}),
    files=(
        FileSpec("upload_csv", "include_upload_csv", "upload_csv_url", "csv", _uploaded("upload")),
        FileSpec(
            "upload_json", "include_upload_json", "upload_json_url", "json", _uploaded("upload")
        ),
        FileSpec("errors_csv", "include_errors_csv", "errors_csv_url", "csv", _ERRORS),
        FileSpec("errors_json", "include_errors_json", "errors_json_url", "json", _ERRORS),
        FileSpec("result_json", "include_result_json", "result_json_url", "json", _RESULT),
    ),
    filters=(
        Filter("resource", BatchResource),
        Filter("mode", BatchMode),
        Filter("via", BatchVia),
        Filter("status", BatchStatus),
    ),
    create=CreateSpec(
        form="rows",
        sources=("file", "url", "data"),
        arguments=(
            CreateArgument("action", "merge, overwrite or delete", BatchAction, required=True),
            CreateArgument("mode", "sync or mixed (default: mixed)", BatchMode),
            CreateArgument("save_upload", "keep the uploaded file", flag=True),
            CreateArgument("save_result", "keep the result file", flag=True),
            CreateArgument("duplicate_handling", "ignore_all or use_first", DuplicateHandling),
        ),
        resource_help="what the rows are: contact, group, shipment, tracker or asset",
    ),
    columns=("id", "status", "resource", "mode", "via", "created_at"),
)

_IF_UNSURE = (
    "The batch may or may not have been created: look for it among the newest batches "
    "(the last page of px.batches.list()) before creating it again"
)

BatchFile = Literal["upload_csv", "upload_json", "errors_csv", "errors_json", "result_json"]
"""The files of a batch, as ``BATCHES.files`` names them (a test keeps both equal)."""


class Batches(JobResource[Batch, BatchFile]):
    """Retrieve one batch (with presigned file URLs on request), list them, wait for
    one to finish, and read or download its files."""

    spec: ClassVar[ResourceSpec] = BATCHES

    async def retrieve(
        self,
        batch_id: str,
        *,
        include_upload_csv: bool = False,
        include_upload_json: bool = False,
        include_errors_csv: bool = False,
        include_errors_json: bool = False,
        include_result_json: bool = False,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> Batch:
        """One batch; each ``include_*`` flag fills the matching presigned ``*_url``.

        Upload and result files exist only if the batch was created with
        ``save_upload`` / ``save_result``; otherwise their URL stays ``None``.
        ``extra_query`` adds query parameters the SDK does not model, sent as given.
        """
        query = self.spec.include_query(
            include_upload_csv=include_upload_csv,
            include_upload_json=include_upload_json,
            include_errors_csv=include_errors_csv,
            include_errors_json=include_errors_json,
            include_result_json=include_result_json,
        )
        return await self._retrieve(batch_id, query, extra_query)

    async def retrieve_many(
        self,
        batch_ids: Iterable[str],
        *,
        concurrency: int = 8,
        fail_fast: bool = False,
        include_upload_csv: bool = False,
        include_upload_json: bool = False,
        include_errors_csv: bool = False,
        include_errors_json: bool = False,
        include_result_json: bool = False,
    ) -> builtins.list[RetrieveResult[Batch]]:
        """Retrieve every id, ``concurrency`` at a time; one result per id, in order.

        A failed id does not stop the others: its result carries the error
        (``result.ok`` is False). With ``fail_fast=True`` the first error is raised
        and the requests in flight are cancelled.
        """
        query = self.spec.include_query(
            include_upload_csv=include_upload_csv,
            include_upload_json=include_upload_json,
            include_errors_csv=include_errors_csv,
            include_errors_json=include_errors_json,
            include_result_json=include_result_json,
        )
        return await self._retrieve_many(batch_ids, query, concurrency, fail_fast)

    def list(
        self,
        *,
        resource: BatchResource | str | None = None,
        mode: BatchMode | str | None = None,
        via: BatchVia | str | None = None,
        status: BatchStatus | str | None = None,
        page: int | None = 1,
        limit: int | None = None,
        concurrency: int = 1,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> AsyncPaginator[Batch]:
        """Every batch matching the filters, oldest first, fetched page by page.

        ``limit`` is the page size (the API's default, 25, when ``None``); ``page``
        is where to start, e.g. to resume from ``paginator.next_page`` (``None``, a
        finished listing, lists nothing). With ``concurrency=N`` > 1, up to N pages
        are fetched at once after the first. ``extra_query`` adds filters the SDK
        does not model (``{"created_at": "gte:2024-01-01"}``), sent as given.
        """
        query = self.spec.filter_query(locals())
        return self._list(query, page, limit, concurrency, extra_query)

    async def create(
        self,
        *,
        resource: BatchResource | str,
        action: BatchAction | str,
        data: Sequence[Mapping[str, Any]] | None = None,
        file: str | os.PathLike[str] | bytes | None = None,
        url: str | None = None,
        mode: BatchMode | str | None = None,
        save_upload: bool | None = None,
        save_result: bool | None = None,
        duplicate_handling: DuplicateHandling | str | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> Batch:
        """Start a batch on ``resource`` from exactly one of ``data`` (a list of rows),
        ``file`` (a .csv/.xlsx/.xls path, or its bytes) or ``url`` (an https:// file).

        Shipments, trackers and assets allow ``action="merge"`` only. Returns the new
        batch as the API answered. Never sent twice when it may have reached the
        server: a failure that leaves it unknown says how to look for the batch.
        """
        body = batch_body(locals())
        return await self._create(body, _IF_UNSURE)

    async def run(
        self,
        *,
        resource: BatchResource | str,
        action: BatchAction | str,
        data: Sequence[Mapping[str, Any]] | None = None,
        file: str | os.PathLike[str] | bytes | None = None,
        url: str | None = None,
        mode: BatchMode | str | None = None,
        save_upload: bool | None = None,
        save_result: bool | None = None,
        duplicate_handling: DuplicateHandling | str | None = None,
        extra_body: Mapping[str, Any] | None = None,
        path: str | os.PathLike[str] | None = None,
        download: BatchFile = "result_json",
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        on_progress: Callable[[Batch], object] | None = None,
    ) -> Batch:
        """Create a batch, wait until it is finished and, with ``path``, download a file.

        ``download`` names the file (``result_json`` needs ``save_result=True``).
        Returns the completed batch; raises ``JobFailedError`` if it ended failed,
        timed_out or expired. Every argument is checked before the batch is created.
        """
        body = batch_body(locals())
        plan = self._plan(path, download, timeout, poll_interval, on_progress)
        if path is not None:
            check_batch_download(body, download)
        return await self._run(body, _IF_UNSURE, plan)

    @overload
    def rows(
        self, batch_id: str, file: Literal["upload_json", "errors_json", "result_json"]
    ) -> AsyncIterator[JSONRow]: ...
    @overload
    def rows(
        self, batch_id: str, file: Literal["upload_csv", "errors_csv"]
    ) -> AsyncIterator[CSVRow]: ...
    @overload
    def rows(self, batch_id: str, file: BatchFile) -> AsyncIterator[JSONRow]: ...
    def rows(self, batch_id: str, file: BatchFile) -> AsyncIterator[JSONRow]:
        """The rows of one of the batch's files, parsed as they stream in.

        JSON files yield their array's elements, each an object (``dict[str, Any]``;
        any other element is an ``APIResponseValidationError``); CSV files yield
        ``dict[str, str]`` keyed by the header row.
        """
        return self._rows(batch_id, file)
