"""Output formats: a table for people, JSON, JSON Lines and CSV for programs.

Listings are written page by page as they arrive (``write`` per chunk), so even
``--all`` never holds the whole list: JSON arrays are opened, streamed and closed,
and the table takes its column widths from the first page and fits the terminal.
One renderer, our own: a few fixed columns need no more (rich was considered).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections.abc import Iterable, Sequence
from typing import Any, Protocol, TextIO

from ._records import Record, cell

__all__ = ["FORMATS", "ListWriter", "open_list", "terminal_width", "write_object"]

FORMATS = ("table", "json", "jsonl", "csv")
_MAX_CELL = 40
_NONE = "-"


class ListWriter(Protocol):
    """Receives a listing chunk by chunk; ``close`` ends it (e.g. the JSON ``]``)."""

    def write(self, records: Iterable[Record]) -> None: ...

    def close(self) -> None: ...


def open_list(
    fmt: str, out: TextIO, *, columns: Sequence[str], fields: Sequence[str]
) -> ListWriter:
    """A writer for a listing: ``columns`` for the table, every field for CSV."""
    if fmt == "json":
        return _JsonArray(out)
    if fmt == "jsonl":
        return _JsonLines(out)
    if fmt == "csv":
        return _Csv(out, fields)
    return _Table(out, columns)


def write_object(fmt: str, out: TextIO, record: Record, *, fields: Sequence[str]) -> None:
    """One object: pretty JSON, one JSON line, a one-row CSV, or a field/value table."""
    if fmt == "json":
        out.write(_dumps(record, indent=2) + "\n")
    elif fmt == "jsonl":
        out.write(_dumps(record) + "\n")
    elif fmt == "csv":
        writer = _Csv(out, fields)
        writer.write([record])
    else:
        _write_details(out, record)
    out.flush()


def _dumps(value: Any, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent)


class _JsonLines:
    def __init__(self, out: TextIO) -> None:
        self._out = out

    def write(self, records: Iterable[Record]) -> None:
        for record in records:
            self._out.write(_dumps(record) + "\n")
        self._out.flush()

    def close(self) -> None:
        self._out.flush()


class _JsonArray:
    """``json.dumps(list, indent=2)``'s text, written one element at a time."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._count = 0

    def write(self, records: Iterable[Record]) -> None:
        for record in records:
            self._out.write("[\n  " if self._count == 0 else ",\n  ")
            self._out.write(_dumps(record, indent=2).replace("\n", "\n  "))
            self._count += 1
        self._out.flush()

    def close(self) -> None:
        self._out.write("\n]\n" if self._count else "[]\n")
        self._out.flush()


class _Csv:
    def __init__(self, out: TextIO, fields: Sequence[str]) -> None:
        self._out = out
        self._writer = csv.writer(out, lineterminator="\n")
        self._fields = fields
        self._writer.writerow(fields)

    def write(self, records: Iterable[Record]) -> None:
        for record in records:
            self._writer.writerow([cell(record.get(name)) for name in self._fields])
        self._out.flush()

    def close(self) -> None:
        self._out.flush()


class _Table:
    """Aligned columns, fitted to the terminal; widths fixed by the first chunk.

    Widths come from the header and the first chunk and then stay, so ``--all`` is
    one table whose rows stream: a later, longer value is cut with an ellipsis.
    On a terminal the table fits its width: columns are dropped from the right
    (``columns`` is in priority order) while more than two remain, then the widest
    is cut. Without a terminal (a pipe, a file) nothing is fitted, so scripts get
    the same output whatever the window.
    """

    def __init__(self, out: TextIO, columns: Sequence[str]) -> None:
        self._out = out
        self._columns = list(columns)
        self._widths: list[int] | None = None
        self._room = terminal_width(out)

    def write(self, records: Iterable[Record]) -> None:
        rows = [[_table_cell(r.get(c)) for c in self._columns] for r in records]
        if self._widths is None:
            columns = zip(self._columns, *rows, strict=True)
            self._widths = [max(map(len, column)) for column in columns]
            if self._room is not None:
                self._fit(self._room)
            self._line(self._columns)
        for row in rows:
            self._line(row)
        self._out.flush()

    def close(self) -> None:
        if self._widths is None:  # an empty listing still shows its header
            self.write([])

    def _fit(self, room: int) -> None:
        assert self._widths is not None
        while _total(self._widths) > room and len(self._widths) > 2:
            self._widths.pop()
        while _total(self._widths) > room:
            widest = self._widths.index(max(self._widths))
            self._widths[widest] -= min(_total(self._widths) - room, self._widths[widest] - 4)
            if self._widths[widest] <= 4:
                break

    def _line(self, values: Sequence[str]) -> None:
        assert self._widths is not None
        cells = [_cut(v, w).ljust(w) for v, w in zip(values, self._widths, strict=False)]
        self._out.write("  ".join(cells).rstrip() + "\n")


def terminal_width(out: TextIO) -> int | None:
    """The terminal's columns when ``out`` is one (``COLUMNS`` wins), else None."""
    try:
        if not out.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    return shutil.get_terminal_size().columns


def _total(widths: Sequence[int]) -> int:
    return sum(widths) + 2 * (len(widths) - 1)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


_ISO_MOMENT = re.compile(r"^(\d{4}-\d\d-\d\d)T(\d\d:\d\d):\d\d(?:\.\d+)?Z$")


def _table_cell(value: Any) -> str:
    """A cell for people: ``-`` for nothing, compact datetimes (to the minute, UTC)."""
    text = _short(cell(value, empty=_NONE))
    return _ISO_MOMENT.sub(r"\1 \2", text)


def _short(text: str) -> str:
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 3] + "..."


def _write_details(out: TextIO, record: Record) -> None:
    """One field per line; nested values (a batch's phases) one item per line."""
    width = max(map(len, record), default=0)
    for name, value in record.items():
        lines = _detail_lines(value)
        out.write(f"{name.ljust(width)}  {lines[0]}".rstrip() + "\n")
        for line in lines[1:]:
            out.write(f"{'':{width}}  {line}\n")


def _detail_lines(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [_pairs(value)]
    if isinstance(value, list) and value:
        return [_pairs(item) if isinstance(item, dict) else cell(item) for item in value]
    return [cell(value, empty=_NONE) if value != [] else _NONE]


def _pairs(mapping: dict[str, Any]) -> str:
    return ", ".join(f"{key}={cell(value, empty=_NONE)}" for key, value in mapping.items())
