"""``packagex batches list`` / ``exports list``: one page, or every page as it arrives.

With ``--all`` each page is written as soon as it is fetched and then dropped, so
memory stays at about one page (N pages with ``--concurrency N``) however long the
list is; the progress bar's total is the API's ``total_count``.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import AsyncIterator
from typing import Any

from .._pagination import AsyncPaginator
from ..models import Page, Pagination
from ._connect import connect
from ._exits import OK
from ._kinds import Kind
from ._progress import Bar, progress_bar
from ._records import field_names, to_record
from ._streams import Streams
from ._writers import ListWriter, open_list

__all__ = ["list_command"]


async def list_command(kind: Kind, args: argparse.Namespace, io: Streams) -> int:
    """Write one page (``--page``, default 1) or, with ``--all``, every page from there."""
    async with connect(args, io.err) as px:
        paginator: AsyncPaginator[Any] = kind.api(px).list(
            **kind.list_filters(args),
            page=args.page,
            limit=args.limit,
            concurrency=args.concurrency if args.all else 1,
        )
        async with paginator:  # closing it cancels page requests still in flight
            if args.all:
                await _write_all(paginator.pages(), kind, args.format, io)
            else:
                await _write_first(paginator.pages(), kind, args.format, io)
    return OK


async def _write_first(pages: AsyncIterator[Page[Any]], kind: Kind, fmt: str, io: Streams) -> None:
    page = await anext(pages)
    writer = _writer(kind, fmt, io)
    writer.write(to_record(item) for item in page.data)
    writer.close()
    if fmt == "table" and page.pagination.has_more:
        io.note(_more_hint(page.pagination, kind))


async def _write_all(pages: AsyncIterator[Page[Any]], kind: Kind, fmt: str, io: Streams) -> None:
    writer: ListWriter | None = None
    bar = Bar()
    try:
        async for page in pages:
            if writer is None:  # after the first page: a failed first request writes nothing
                writer = _writer(kind, fmt, io)
                bar = progress_bar(io.err, total=_remaining(page.pagination), unit=kind.name)
            with bar.cleared():
                writer.write(to_record(item) for item in page.data)
            bar.advance(len(page.data))
    finally:
        bar.close()
    if writer is not None:
        writer.close()


def _writer(kind: Kind, fmt: str, io: Streams) -> ListWriter:
    return open_list(fmt, io.out, columns=kind.columns, fields=field_names(kind.model))


def _remaining(pagination: Pagination) -> int | None:
    """Items from this page to the end (the bar's total), if the API said how many."""
    if pagination.total_count is None:
        return None
    return max(pagination.total_count - (pagination.page - 1) * pagination.limit, 0)


def _more_hint(pagination: Pagination, kind: Kind) -> str:
    if pagination.total_count is None:
        return f"more {kind.name}: --page {pagination.page + 1}, or --all for every page"
    last = math.ceil(pagination.total_count / max(pagination.limit, 1))
    return (
        f"page {pagination.page} of {last} ({pagination.total_count} {kind.name}); "
        f"--page {pagination.page + 1} for the next, --all for every page"
    )
