"""``px.exports``: CSV/JSON dumps of an organisation's data, kept 24 hours."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import ClassVar

from .._many import RetrieveResult
from .._pagination import AsyncPaginator
from .._params import check_flag, check_str, enum_value, enum_values
from ..models import Export, ExportOrderBy, ExportResource, ExportStatus, SortDirection
from ._base import Resource

__all__ = ["Exports"]


class Exports(Resource[Export]):
    """Retrieve one export (with presigned file URLs on request) or list them."""

    path: ClassVar[str] = "/v1/exports"
    model = Export
    default_limit: ClassVar[int] = 10
    """The API's own default page size for exports."""

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
        page: int = 1,
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
            query["search"] = check_str("search", search)
        return self._list(query, page, limit, concurrency)


def _file_flags(include_csv: object, include_json: object) -> dict[str, bool]:
    return {
        "include_csv": check_flag("include_csv", include_csv),
        "include_json": check_flag("include_json", include_json),
    }
