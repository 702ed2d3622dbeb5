"""Rows from a file as it streams in: JSON arrays and CSV, never the whole file in memory.

A result file can hold millions of rows; ``rows()`` must start yielding after the
first chunk and hold only about one chunk at a time.

- JSON: the file is one array of values. Arrays of objects (every result file) are
  decoded a run at a time: the longest prefix of whole objects in the buffer goes to
  one ``orjson.loads`` call, found with C-speed counting and proved by the parse.
  Anything else (scalars, a run the parse refuses, the last element) goes through
  ``_JSONArraySplitter``'s exact scan, which visits the structural characters
  (quotes, backslashes, brackets) with a regex and decodes each element alone.
- CSV: text is decoded incrementally and cut after its last whole record (a quoted
  field may span lines; a record ends at a newline outside quotes); the ``csv``
  module reads each chunk's records in one go, into dicts keyed by the header row.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import AsyncIterator
from typing import Any

import orjson

__all__ = ["csv_rows", "json_rows"]

_STRUCTURAL = re.compile(rb'["\\\[\]{},]')
_FAST_FAILURES = 3
"""Runs refused by the parse before the fast path is given up for a file."""
_RESCAN_LIMIT = 64 * 1024
"""The most of a partial element rescanned to try a run again."""


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
        self._fast_failures = 0
        self.closed = False

    def feed(self, chunk: bytes) -> list[Any]:
        """Add bytes; return every element completed by them, decoded."""
        self._buffer += chunk
        values = self._fast_run() if self._may_run_fast() else []
        elements: list[bytes] = []
        for match in _STRUCTURAL.finditer(self._buffer, self._scanned):
            self._visit(match.group(), match.start(), elements)
        self._scanned = len(self._buffer)
        self._compact()
        values.extend(orjson.loads(element) for element in elements)
        return values

    def _may_run_fast(self) -> bool:
        """Whether to try a run: inside the array, and at most a little rescanned.

        The current element always starts at ``_start`` with nothing open, so the
        scan can restart there; a huge element is left to the exact scan instead of
        being rescanned with every chunk.
        """
        if self._start < 0 or self.closed or self._fast_failures >= _FAST_FAILURES:
            return False
        if self._scanned - self._start > _RESCAN_LIMIT:
            return False
        self._scanned, self._depth, self._in_string, self._escaped_at = self._start, 0, False, -1
        return True

    def _fast_run(self) -> list[Any]:
        """Every whole object from ``_start`` on, decoded by one ``orjson`` call.

        A cut is proposed where brace and bracket counts balance after a ``},`` or
        ``}]``, and proved by the parse itself: a prefix of the array that parses
        as an array ends at an element boundary (a cut inside a string or a nested
        value cannot parse). A string holding braces can only mislead the counts
        into no cut or a refused one; then the exact scan does the work.
        """
        cut = _balanced_cut(self._buffer, self._start)
        if cut < 0:
            return []
        try:
            values: list[Any] = orjson.loads(b"[" + self._buffer[self._start : cut] + b"]")
        except orjson.JSONDecodeError:
            self._fast_failures += 1
            return []
        self._count += len(values)
        self.closed = self._buffer[cut] == ord("]")
        self._start = self._scanned = cut + 1
        return values

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


def _balanced_cut(buffer: bytearray, start: int) -> int:
    """The separator after the last ``}`` where ``buffer[start:]`` is balanced, or -1.

    Counting with ``bytes.count`` runs in C; each byte is counted about twice.
    """
    limit = len(buffer)
    opens = buffer.count(b"{", start, limit) + buffer.count(b"[", start, limit)
    closes = buffer.count(b"}", start, limit) + buffer.count(b"]", start, limit)
    while True:
        end = max(buffer.rfind(b"},", start, limit), buffer.rfind(b"}]", start, limit))
        if end < 0:
            return -1
        opens -= buffer.count(b"{", end + 1, limit) + buffer.count(b"[", end + 1, limit)
        closes -= buffer.count(b"}", end + 1, limit) + buffer.count(b"]", end + 1, limit)
        if opens == closes:
            return end + 1
        limit = end + 1


async def json_rows(chunks: AsyncIterator[bytes]) -> AsyncIterator[Any]:
    """Each element of a JSON array arriving as ``chunks``, decoded."""
    splitter = _JSONArraySplitter()
    async for chunk in chunks:
        for value in splitter.feed(chunk):
            yield value
    splitter.finish()


async def csv_rows(chunks: AsyncIterator[bytes]) -> AsyncIterator[dict[str, str]]:
    """Each record of a CSV file arriving as ``chunks``, as a dict keyed by the header.

    Each chunk's whole records go to one ``csv.reader`` at once; only the text after
    the last record boundary waits for the next chunk. Rows are as
    ``csv.DictReader`` gives them (empty lines skipped), but a record whose field
    count differs from the header's is an error, not padded.
    """
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    records = _CSVRecords()
    pending = ""
    async for chunk in chunks:
        text = pending + decoder.decode(chunk)
        cut = _record_boundary(text)
        pending = text[cut:]
        for row in records.rows(text[:cut]):
            yield row
    tail = pending + decoder.decode(b"", final=True)
    if tail.count('"') % 2:
        raise ValueError("the CSV file ended inside a quoted field (the file was cut short)")
    for row in records.rows(tail):
        yield row


def _record_boundary(text: str) -> int:
    """Where the last whole record of ``text`` ends: after a newline outside quotes.

    A quote toggles "inside a field" (an escaped quote is two of them), so a newline
    ends a record when the quotes before it are even; counted in C, each character
    about twice. 0 when no record is complete yet.
    """
    limit = len(text)
    quotes = text.count('"')
    while (newline := text.rfind("\n", 0, limit)) >= 0:
        quotes -= text.count('"', newline, limit)
        if quotes % 2 == 0:
            return newline + 1
        limit = newline
    return 0


class _CSVRecords:
    """Turns whole records into dicts keyed by the first record, the header."""

    def __init__(self) -> None:
        self._header: list[str] | None = None

    def rows(self, text: str) -> list[dict[str, str]]:
        rows: list[dict[str, str]] = []
        header = self._header
        for fields in csv.reader(io.StringIO(text, newline="")):
            if not fields:
                continue
            if header is None:
                header = self._header = fields
                continue
            if len(fields) != len(header):
                raise ValueError(
                    f"a CSV record has {len(fields)} fields where the header has {len(header)}"
                )
            rows.append(dict(zip(header, fields, strict=True)))
        return rows
