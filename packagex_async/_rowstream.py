"""Rows from a file as it streams in: JSON arrays and CSV, never the whole file in memory.

A result file can hold millions of rows; ``rows()`` must start yielding after the
first chunk and hold only about one chunk at a time.

- JSON: the file is one array of values. ``_JSONArraySplitter`` finds where each
  top-level element ends by visiting only the structural characters (quotes,
  backslashes, brackets) with a regex, then hands each element to ``orjson``.
- CSV: text is decoded incrementally and cut into whole records (a quoted field may
  span lines; a record ends at a newline outside quotes), which the ``csv`` module
  turns into dicts keyed by the header row.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import AsyncIterator
from typing import Any

import orjson

__all__ = ["csv_rows", "json_rows"]

_STRUCTURAL = re.compile(rb'["\\\[\]{},]')
_QUOTE_OR_NEWLINE = re.compile(r'["\n]')


class _JSONArraySplitter:
    """Cuts the bytes of a JSON array into the bytes of its top-level elements."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._scanned = 0  # bytes of the buffer already visited
        self._start = -1  # where the current element begins (-1: before the array)
        self._depth = 0
        self._in_string = False
        self._escaped_at = -1  # position of the character a backslash escapes
        self._count = 0
        self.closed = False

    def feed(self, chunk: bytes) -> list[bytes]:
        """Add bytes; return every element completed by them."""
        self._buffer += chunk
        elements: list[bytes] = []
        for match in _STRUCTURAL.finditer(self._buffer, self._scanned):
            self._visit(match.group(), match.start(), elements)
        self._scanned = len(self._buffer)
        self._compact()
        return elements

    def _visit(self, char: bytes, at: int, elements: list[bytes]) -> None:
        if self.closed:
            raise ValueError("the file holds more than one JSON array")
        if self._in_string:
            self._string_char(char, at)
        elif char == b'"':
            self._in_string = True
        elif char in b"[{":
            self._open(char, at)
        elif char in b"]}" or char == b",":
            self._close_or_split(char, at, elements)

    def _string_char(self, char: bytes, at: int) -> None:
        if at == self._escaped_at:
            return
        if char == b"\\":
            self._escaped_at = at + 1
        elif char == b'"':
            self._in_string = False

    def _open(self, char: bytes, at: int) -> None:
        if self._start < 0:
            if char != b"[":
                raise ValueError("the file is not a JSON array")
            self._start = at + 1
            return
        self._depth += 1

    def _close_or_split(self, char: bytes, at: int, elements: list[bytes]) -> None:
        if self._start < 0 or self.closed:
            raise ValueError("the file is not a JSON array")
        if self._depth > 0:
            if char != b",":
                self._depth -= 1
            return
        element = bytes(self._buffer[self._start : at]).strip()
        if element:
            elements.append(element)
            self._count += 1
        elif char == b"," or self._count:  # `[1,,2]` or `[1,]`: only `[]` may be empty
            raise ValueError("the JSON array has an empty element")
        self._start = at + 1
        if char == b"]":
            self.closed = True

    def finish(self) -> None:
        """Raise unless the array was closed and nothing but blanks followed it."""
        if not self.closed:
            raise ValueError("the JSON array ended early (the file was cut short)")
        if bytes(self._buffer[self._start :]).strip():
            raise ValueError("the file holds more than one JSON array")

    def _compact(self) -> None:
        """Drop the bytes of elements already handed out."""
        if self._start > 0:
            del self._buffer[: self._start]
            self._scanned -= self._start
            self._escaped_at -= self._start
            self._start = 0


async def json_rows(chunks: AsyncIterator[bytes]) -> AsyncIterator[Any]:
    """Each element of a JSON array arriving as ``chunks``, decoded."""
    splitter = _JSONArraySplitter()
    async for chunk in chunks:
        for element in splitter.feed(chunk):
            yield orjson.loads(element)
    splitter.finish()


async def csv_rows(chunks: AsyncIterator[bytes]) -> AsyncIterator[dict[str, str]]:
    """Each record of a CSV file arriving as ``chunks``, as a dict keyed by the header."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    splitter = _CSVRecordSplitter()
    header: list[str] | None = None
    async for chunk in chunks:
        for record in splitter.feed(decoder.decode(chunk)):
            header, row = _row(header, record)
            if row is not None:
                yield row
    for record in splitter.feed(decoder.decode(b"", final=True) + "\n"):
        header, row = _row(header, record)
        if row is not None:
            yield row
    if splitter.pending.strip():
        raise ValueError("the CSV file ended inside a quoted field (the file was cut short)")


class _CSVRecordSplitter:
    """Cuts text into whole CSV records: a record ends at a newline outside quotes.

    The quote state and scan position survive between chunks, so a long quoted
    field is scanned once, not again with every chunk.
    """

    def __init__(self) -> None:
        self.pending = ""
        self._scanned = 0
        self._quoted = False

    def feed(self, text: str) -> list[str]:
        self.pending += text
        records: list[str] = []
        start = 0
        for match in _QUOTE_OR_NEWLINE.finditer(self.pending, self._scanned):
            if match.group() == '"':
                self._quoted = not self._quoted
            elif not self._quoted:
                records.append(self.pending[start : match.end()])
                start = match.end()
        self.pending = self.pending[start:]
        self._scanned = len(self.pending)
        return records


def _row(header: list[str] | None, record: str) -> tuple[list[str] | None, dict[str, str] | None]:
    if not record.strip():
        return header, None
    fields = next(csv.reader([record]))
    if header is None:
        return fields, None
    if len(fields) != len(header):
        raise ValueError(
            f"a CSV record has {len(fields)} fields where the header has {len(header)}"
        )
    return header, dict(zip(header, fields, strict=True))
