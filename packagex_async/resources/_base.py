"""What every resource shares: retrieving one object and listing pages of them.

A resource subclass knows only its path, its model, its default page size and how
to turn its keyword arguments into a checked query.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import ClassVar, Generic, TypeVar

from .._converter import structure_list
from .._decode import decode_object, decode_page
from .._http import Api
from .._many import RetrieveResult, retrieve_many
from .._pagination import AsyncPaginator
from .._params import check_flag, check_positive_int, id_list, id_segment
from ..models import Page

__all__ = ["Resource"]

T = TypeVar("T")


class Resource(Generic[T]):
    """Retrieve and list for one API collection such as ``/v1/batches``."""

    path: ClassVar[str]
    model: type[T]
    default_limit: ClassVar[int]

    def __init__(self, api: Api) -> None:
        self._api = api
        self._structure_items = structure_list(self.model)

    async def _retrieve(self, id_name: str, object_id: object, flags: Mapping[str, bool]) -> T:
        path = f"{self.path}/{id_segment(id_name, object_id)}"
        query = {name: "true" for name, wanted in flags.items() if wanted}
        envelope = await self._api.get(path, query)
        return decode_object(envelope, self.model, path)

    async def _retrieve_many(
        self,
        id_name: str,
        object_ids: object,
        flags: Mapping[str, bool],
        concurrency: object,
        fail_fast: object,
    ) -> builtins.list[RetrieveResult[T]]:
        ids = id_list(f"{id_name}s", object_ids)
        in_flight = check_positive_int("concurrency", concurrency)
        check_flag("fail_fast", fail_fast)

        async def retrieve(object_id: str) -> T:
            return await self._retrieve(id_name, object_id, flags)

        return await retrieve_many(retrieve, ids, concurrency=in_flight, fail_fast=bool(fail_fast))

    def _list(
        self, query: Mapping[str, str], page: object, limit: object, concurrency: object
    ) -> AsyncPaginator[T]:
        first_page = None if page is None else check_positive_int("page", page)
        size = self.default_limit if limit is None else check_positive_int("limit", limit)
        in_flight = check_positive_int("concurrency", concurrency)
        fixed = dict(query, limit=str(size))

        async def fetch_page(number: int) -> Page[T]:
            envelope = await self._api.get(self.path, {**fixed, "page": str(number)})
            return decode_page(envelope, self._structure_items, self.path, page=number, limit=size)

        return AsyncPaginator(fetch_page, first_page=first_page, concurrency=in_flight)
