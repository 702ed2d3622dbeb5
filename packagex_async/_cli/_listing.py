"""``packagex batches list`` / ``exports list``: one page, or every page as it arrives.

With ``--all`` each page is written as soon as it is fetched and then dropped, so
memory stays at about one page (at most 2N with ``--concurrency N``) however long the
list is; the progress bar's total is the API's ``total_count``.
"""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator
from typing import Any

import attrs

from .._listing._pagination import AsyncPaginator
from ..models import Page, Pagination
from ._connect import connect
from ._exits import OK, USAGE, CLIError
from ._kinds import Kind
from ._progress import Bar, progress_bar
from ._records import Record, field_names, select, to_record
from ._streams import Streams
from ._writers import ListWriter, open_list

__all__ = ["list_command"]


async def list_command(kind: Kind, args: argparse.Namespace, io: Streams) -> int:
    """Write one page (``--page``, default 1) or, with ``--all``, every page from there."""
    if args.concurrency != 1 and not args.all:
        raise CLIError("--concurrency needs --all (it fetches the pages of --all at once)", USAGE)
    view = _View(kind, args.format, kind.fields(args.fields), io)
    async with connect(args, io.err) as px:
        paginator: AsyncPaginator[Any] = kind.api(px).list(
            **kind.list_filters(args),
            page=args.page,
            limit=args.limit,
            concurrency=args.concurrency,
        )
        async with paginator:  # closing it cancels page requests still in flight
            if args.all:
                listed = await _write_all(paginator.pages(), view)
            else:
                listed = await _write_first(paginator.pages(), view)
    if listed is not None:
        _say_if_empty(listed, kind, io)
    return OK


@attrs.frozen
class _View:
    """What a listing writes: the kind, the format and the chosen fields, on ``io``."""

    kind: Kind
    fmt: str
    fields: tuple[str, ...] | None
    io: Streams

    def writer(self) -> ListWriter:
        columns = self.fields or self.kind.columns
        every = self.fields or field_names(self.kind.model)
        return open_list(self.fmt, self.io.out, columns=columns, fields=every)

    def records(self, page: Page[Any]) -> list[Record]:
        return [select(to_record(item), self.fields) for item in page.data]


async def _write_first(pages: AsyncIterator[Page[Any]], view: _View) -> Page[Any] | None:
    """The first page; returned when it was empty, for the note saying so."""
    page = await anext(pages)
    writer = view.writer()
    writer.write(view.records(page))
    writer.close()
    if view.fmt == "table" and page.pagination.has_more:
        view.io.note(_more_hint(page.pagination, view.kind))
    return page if not page.data else None


async def _write_all(pages: AsyncIterator[Page[Any]], view: _View) -> Page[Any] | None:
    writer: ListWriter | None = None
    bar = Bar()
    first: Page[Any] | None = None
    listed = 0
    try:
        async for page in pages:
            if writer is None:  # after the first page: a failed first request writes nothing
                first, writer = page, view.writer()
                bar = progress_bar(
                    view.io.err, total=_remaining(page.pagination), unit=view.kind.name
                )
            with bar.cleared():
                writer.write(view.records(page))
            bar.advance(len(page.data))
            listed += len(page.data)
    finally:
        bar.close()
    if writer is not None:
        writer.close()
    return first if listed == 0 else None


def _say_if_empty(page: Page[Any], kind: Kind, io: Streams) -> None:
    """An empty result says so on stderr: past the last page, or nothing matches."""
    pagination = page.pagination
    total = pagination.total_count
    if pagination.page > 1 and total:
        last = pagination.last_page
        io.say(f"page {pagination.page} is past the last page ({last})")
    else:
        io.say(f"no {kind.name} match")


def _remaining(pagination: Pagination) -> int | None:
    """Items from this page to the end (the bar's total), if the API said how many."""
    if pagination.total_count is None:
        return None
    return max(pagination.total_count - (pagination.page - 1) * pagination.limit, 0)


def _more_hint(pagination: Pagination, kind: Kind) -> str:
    if pagination.total_count is None:
        return f"more {kind.name}: --page {pagination.page + 1}, or --all for every page"
    last = pagination.last_page
    return (
        f"page {pagination.page} of {last} ({pagination.total_count} {kind.name}); "
        f"--page {pagination.page + 1} for the next, --all for every page"
    )
