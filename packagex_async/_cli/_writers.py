"""Output formats: a table for people, JSON, JSON Lines and CSV for programs.

Listings are written page by page as they arrive (``write`` per chunk), so even
``--all`` never holds the whole list: JSON arrays are opened, streamed and closed,
and the table takes its column widths from the first page.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from typing import Any, Protocol, TextIO

from ._records import Record, cell

__all__ = ["FORMATS", "ListWriter", "open_list", "write_object"]

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
    """Aligned columns; widths come from the header and the first chunk, so rows stream."""

    def __init__(self, out: TextIO, columns: Sequence[str]) -> None:
        self._out = out
        self._columns = columns
        self._widths: list[int] | None = None

    def write(self, records: Iterable[Record]) -> None:
        rows = [[_short(cell(r.get(c), empty=_NONE)) for c in self._columns] for r in records]
        if self._widths is None:
            columns = zip(self._columns, *rows, strict=True)
            self._widths = [max(map(len, column)) for column in columns]
            self._line(self._columns)
        for row in rows:
            self._line(row)
        self._out.flush()

    def close(self) -> None:
        if self._widths is None:  # an empty listing still shows its header
            self.write([])

    def _line(self, values: Sequence[str]) -> None:
        assert self._widths is not None
        text = "  ".join(v.ljust(w) for v, w in zip(values, self._widths, strict=True))
        self._out.write(text.rstrip() + "\n")


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
