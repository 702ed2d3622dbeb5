"""What every resource shares: retrieving one object and listing pages of them.

A resource subclass names its ``ResourceSpec`` and declares its typed public
methods; the work is done here from the spec.

The decoders load when a client wires its resources (``__init__``), not when a
resource module is imported: the CLI imports the modules for their specs at every
TAB of shell completion, and must stay light.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from .._listing._many import RetrieveResult, retrieve_many
from .._listing._pagination import AsyncPaginator
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

if TYPE_CHECKING:
    from .._http import Api

__all__ = ["Resource"]

T = TypeVar("T")


class Resource(Generic[T]):
    """Retrieve and list for one API collection such as ``/v1/batches``."""

    spec: ClassVar[ResourceSpec]

    def __init__(self, api: Api) -> None:
        from .._codec import object_reader, page_reader

        self._api = api
        model: type[T] = self.spec.model
        self._read_object = object_reader(model)
        self._read_page = page_reader(model)

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
        return await self._api.get(path, query, self._read_object)

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

            def read(body: bytes) -> Page[T]:
                return self._read_page(body, number, size)

            return await self._api.get(self.spec.path, page_query, read)

        return AsyncPaginator(fetch_page, first_page=first_page, concurrency=in_flight)
