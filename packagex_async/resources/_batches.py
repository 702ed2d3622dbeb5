"""``px.batches``: bulk operations on contacts, groups, shipments and trackers."""

from __future__ import annotations

import builtins
import os
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from typing import Any, ClassVar, Literal

from .._files import Download, ProgressCallback
from .._many import RetrieveResult
from .._pagination import AsyncPaginator
from .._params import check_flag, enum_value
from ..models import Batch, BatchMode, BatchResource, BatchStatus, BatchVia
from ._jobs import FileSpec, JobResource

__all__ = ["Batches"]

# The batch list's ``mode`` filter is documented for these two of the three modes.
_MODE_FILTERS = ("sync", "mixed")


_UPLOADED = "upload files exist only for batches created with save_upload=true"
_RESULT = "result files exist only for batches created with save_result=true, once finished"
_ERRORS = "error files exist only for batches that rejected rows"

BatchFile = Literal["upload_csv", "upload_json", "errors_csv", "errors_json", "result_json"]


class Batches(JobResource[Batch]):
    """Retrieve one batch (with presigned file URLs on request), list them, wait for
    one to finish, and read or download its files."""

    path: ClassVar[str] = "/v1/batches"
    model = Batch
    default_limit: ClassVar[int] = 25
    """The API's own default page size for batches."""
    id_name: ClassVar[str] = "batch_id"
    final_statuses: ClassVar[frozenset[str]] = frozenset(
        {"completed", "failed", "timed_out", "expired"}
    )
    file_specs: ClassVar[Mapping[str, FileSpec]] = {
        "upload_csv": FileSpec("include_upload_csv", "upload_csv_url", "csv", _UPLOADED),
        "upload_json": FileSpec("include_upload_json", "upload_json_url", "json", _UPLOADED),
        "errors_csv": FileSpec("include_errors_csv", "errors_csv_url", "csv", _ERRORS),
        "errors_json": FileSpec("include_errors_json", "errors_json_url", "json", _ERRORS),
        "result_json": FileSpec("include_result_json", "result_json_url", "json", _RESULT),
    }

    async def wait(
        self,
        batch_id: str,
        *,
        timeout: float | None = 600.0,
        poll_interval: float = 1.0,
        max_poll_interval: float = 15.0,
        on_progress: Callable[[Batch], object] | None = None,
    ) -> Batch:
        """Poll until the batch is completed, failed, timed_out or expired; return it.

        ``on_progress`` receives every polled batch (its ``phases`` tell how far it
        got). Raises ``WaitTimeoutError`` (with ``.last``) after ``timeout`` seconds;
        ``timeout=None`` waits without a limit.
        """
        return await self._wait(batch_id, timeout, poll_interval, max_poll_interval, on_progress)

    async def download(
        self,
        batch_id: str,
        file: BatchFile,
        path: str | os.PathLike[str],
        *,
        on_progress: ProgressCallback | None = None,
    ) -> Download:
        """Fetch a fresh URL for one of the batch's files and download it to ``path``.

        ``file`` is upload_csv, upload_json, errors_csv, errors_json or result_json.
        Atomic: ``path`` appears only once the whole file is there.
        """
        return await self._download(batch_id, file, path, on_progress)

    def rows(self, batch_id: str, file: BatchFile) -> AsyncIterator[Any]:
        """The rows of one of the batch's files, parsed as they stream in.

        JSON files yield their array's elements; CSV files yield dicts keyed by the
        header row.
        """
        return self._rows(batch_id, file)

    async def retrieve(
        self,
        batch_id: str,
        *,
        include_upload_csv: bool = False,
        include_upload_json: bool = False,
        include_errors_csv: bool = False,
        include_errors_json: bool = False,
        include_result_json: bool = False,
    ) -> Batch:
        """One batch; each ``include_*`` flag fills the matching presigned ``*_url``.

        Upload and result files exist only if the batch was created with
        ``save_upload`` / ``save_result``; otherwise their URL stays ``None``.
        """
        flags = _file_flags(
            include_upload_csv,
            include_upload_json,
            include_errors_csv,
            include_errors_json,
            include_result_json,
        )
        return await self._retrieve("batch_id", batch_id, flags)

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
        flags = _file_flags(
            include_upload_csv,
            include_upload_json,
            include_errors_csv,
            include_errors_json,
            include_result_json,
        )
        return await self._retrieve_many("batch_id", batch_ids, flags, concurrency, fail_fast)

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
    ) -> AsyncPaginator[Batch]:
        """Every batch matching the filters, oldest first, fetched page by page.

                ``limit`` is the page size (the API's default, 25, when ``None``); ``page``
                is where to start, e.g. to resume from ``paginator.next_page`` (``None``, a
        finished listing, lists nothing). With
                ``concurrency=N`` > 1, up to N pages are fetched at once after the first.
        """
        query: dict[str, str] = {}
        if resource is not None:
            query["resource"] = enum_value("resource", resource, BatchResource)
        if mode is not None:
            query["mode"] = enum_value("mode", mode, BatchMode, _MODE_FILTERS)
        if via is not None:
            query["via"] = enum_value("via", via, BatchVia)
        if status is not None:
            query["status"] = enum_value("status", status, BatchStatus)
        return self._list(query, page, limit, concurrency)


def _file_flags(
    upload_csv: object,
    upload_json: object,
    errors_csv: object,
    errors_json: object,
    result_json: object,
) -> dict[str, bool]:
    """The five ``include_*`` flags, each checked to be a real bool."""
    flags = {
        "include_upload_csv": upload_csv,
        "include_upload_json": upload_json,
        "include_errors_csv": errors_csv,
        "include_errors_json": errors_json,
        "include_result_json": result_json,
    }
    return {name: check_flag(name, value) for name, value in flags.items()}
