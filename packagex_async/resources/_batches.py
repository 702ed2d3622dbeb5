"""``px.batches``: bulk operations on contacts, groups, shipments and trackers."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import ClassVar

from .._many import RetrieveResult
from .._pagination import AsyncPaginator
from .._params import check_flag, enum_value
from ..models import Batch, BatchMode, BatchResource, BatchStatus, BatchVia
from ._base import Resource

__all__ = ["Batches"]

# The batch list's ``mode`` filter is documented for these two of the three modes.
_MODE_FILTERS = ("sync", "mixed")


class Batches(Resource[Batch]):
    """Retrieve one batch (with presigned file URLs on request) or list them."""

    path: ClassVar[str] = "/v1/batches"
    model = Batch
    default_limit: ClassVar[int] = 25
    """The API's own default page size for batches."""

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
        page: int = 1,
        limit: int | None = None,
        concurrency: int = 1,
    ) -> AsyncPaginator[Batch]:
        """Every batch matching the filters, oldest first, fetched page by page.

        ``limit`` is the page size (the API's default, 25, when ``None``); ``page``
        is where to start, e.g. to resume from ``paginator.next_page``. With
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
