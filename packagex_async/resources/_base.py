"""What every resource shares: retrieving one object and listing pages of them.

A resource subclass names its ``ResourceSpec`` and declares its typed public
methods; the work is done here from the spec.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping
from typing import ClassVar, Generic, TypeVar

from .._codec._converter import structure_list
from .._codec._decode import decode_object, decode_page
from .._codec._fastbody import reader_for
from .._http import Api
from .._many import RetrieveResult, retrieve_many
from .._pagination import AsyncPaginator
from .._params import (
    QueryValue,
    check_extra_query,
    check_flag,
    check_positive_int,
    id_list,
    id_segment,
)
from .._specs import ResourceSpec
from ..models import Page

__all__ = ["Resource"]

T = TypeVar("T")


class Resource(Generic[T]):
    """Retrieve and list for one API collection such as ``/v1/batches``."""

    spec: ClassVar[ResourceSpec]

    def __init__(self, api: Api) -> None:
        self._api = api
        self._structure_items = structure_list(self.spec.model)
        self._fast_page = reader_for(self.spec.model, page=True)
        self._fast_object = reader_for(self.spec.model, page=False)

    async def _retrieve(
        self,
        object_id: str,
        query: Mapping[str, str],
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> T:
        spec = self.spec
        path = f"{spec.path}/{id_segment(spec.id_name, object_id)}"
        if extra_query is not None:
            query = {**query, **check_extra_query(extra_query, reserved=spec.include_flags)}
        envelope = await self._api.get(path, query, self._fast_object)
        model: type[T] = spec.model
        return decode_object(envelope, model, path)

    async def _retrieve_many(
        self,
        object_ids: Iterable[str],
        query: Mapping[str, str],
        concurrency: int,
        fail_fast: bool,
    ) -> builtins.list[RetrieveResult[T]]:
        ids = id_list(f"{self.spec.id_name}s", object_ids)
        in_flight = check_positive_int("concurrency", concurrency)
        check_flag("fail_fast", fail_fast)

        async def retrieve(object_id: str) -> T:
            return await self._retrieve(object_id, query)

        return await retrieve_many(retrieve, ids, concurrency=in_flight, fail_fast=fail_fast)

    def _list(
        self,
        query: Mapping[str, str],
        page: int | None,
        limit: int | None,
        concurrency: int,
        extra_query: Mapping[str, QueryValue] | None,
    ) -> AsyncPaginator[T]:
        first_page = None if page is None else check_positive_int("page", page)
        size = self.spec.default_limit if limit is None else check_positive_int("limit", limit)
        in_flight = check_positive_int("concurrency", concurrency)
        reserved = ("page", "limit", *(f.name for f in self.spec.filters))
        fixed = {**query, **check_extra_query(extra_query, reserved=reserved), "limit": str(size)}

        async def fetch_page(number: int) -> Page[T]:
            page_query = {**fixed, "page": str(number)}
            envelope = await self._api.get(self.spec.path, page_query, self._fast_page)
            return decode_page(
                envelope, self._structure_items, self.spec.path, page=number, limit=size
            )

        return AsyncPaginator(fetch_page, first_page=first_page, concurrency=in_flight)
