"""Retrieving many objects at once: bounded concurrency, results in input order.

One failed id must not cost the others (``fail_fast=False``, the default): each
result carries either its object or its error. With ``fail_fast=True`` the first
error is raised and the requests still in flight are cancelled.

A fixed pool of N workers pulls the next index from a shared iterator, rather than
one task per id behind a semaphore, so 100,000 ids cost N tasks, not 100,000.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

import attrs

from .._errors import PackageXError

__all__ = ["RetrieveResult", "retrieve_many"]

T = TypeVar("T")


@attrs.frozen
class RetrieveResult(Generic[T]):
    """The outcome for one id: ``value`` when ``ok``, else ``error``."""

    id: str
    value: T | None = None
    error: PackageXError | None = None

    @property
    def ok(self) -> bool:
        """Whether the object was retrieved."""
        return self.error is None

    def unwrap(self) -> T:
        """The object, or the error raised."""
        if self.error is not None:
            raise self.error
        assert self.value is not None
        return self.value


async def retrieve_many(
    retrieve: Callable[[str], Awaitable[T]],
    ids: Sequence[str],
    *,
    concurrency: int,
    fail_fast: bool,
) -> list[RetrieveResult[T]]:
    """``retrieve`` every id with at most ``concurrency`` in flight, in input order."""
    results: list[RetrieveResult[T] | None] = [None] * len(ids)
    indexes = iter(range(len(ids)))

    async def worker() -> None:
        for index in indexes:
            try:
                results[index] = RetrieveResult(ids[index], await retrieve(ids[index]))
            except PackageXError as error:
                if fail_fast:
                    raise
                results[index] = RetrieveResult(ids[index], error=error)

    workers = [asyncio.ensure_future(worker()) for _ in range(min(concurrency, len(ids)))]
    try:
        await asyncio.gather(*workers)
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
    return [result for result in results if result is not None]
