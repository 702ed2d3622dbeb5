"""Rows from a file as it streams in: JSON arrays and CSV, never the whole file in memory.

A result file can hold millions of rows; ``rows()`` must start yielding after the
first chunk and hold only about one chunk at a time.

- JSON: the file is one array of values. Arrays of objects (every result file) are
  decoded a run at a time: the longest prefix of whole objects in the buffer goes to
  one ``orjson.loads`` call, found with C-speed counting and proved by the parse.
  Anything else (scalars, a run the parse refuses, the last element) goes through
  ``_JSONArraySplitter``'s exact scan, which visits the structural characters
  (quotes, backslashes, brackets) with a regex and decodes each element alone.
- CSV: text is decoded incrementally and cut after its last whole line; the
  ``csv`` module reads each chunk's lines in one go and itself says where a record
  ends (a quoted field may span lines), into dicts keyed by the header row.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import orjson

__all__ = ["csv_rows", "json_rows"]

_STRUCTURAL = re.compile(rb'["\\\[\]{},]')
_FAST_FAILURES = 3
"""Runs refused by the parse before the fast path is given up for a file."""
_RESCAN_LIMIT = 64 * 1024
"""The most of a partial element rescanned to try a run again."""
_BLANKS = b" \t\r\n"
"""JSON's white space; ``bytes.strip()`` would take ``\\v`` and ``\\f`` too."""
_DIGITS_TO_ZERO = bytes.maketrans(b"0123456789[,", b"0000000000::")
_LONG_NUMBER = b":" + b"0" * 19
"""After ``_DIGITS_TO_ZERO`` (blanks and ``-`` dropped): 19 digits where a value starts."""


def _loads(text: bytes) -> Any:
    """``text`` decoded; integers of any size kept exact.

    orjson decodes (and so checks) first. Where an integer of 19 or more digits may
    stand, the standard library decodes again for exact integers: rare in result
    files, and then costs only that run. Whatever orjson accepted, the standard
    library accepts too (it also takes ``NaN``, which orjson refused already).
    """
    value = orjson.loads(text)
    if not _may_hold_a_long_integer(text):
        return value
    try:
        return json.loads(text)
    except RecursionError:  # nested deeper than the standard library goes
        problem = "a value is nested too deep to keep its long integers exact"
    raise ValueError(problem)


def _may_hold_a_long_integer(text: bytes) -> bool:
    """Whether a number of 19 or more digits may start a value in ``text`` (at its start,
    or after ``[``, ``:`` or ``,``); a string that looks so only costs a second decode.

    Past 64 bits orjson makes an integer a float. A translation and a search run in C,
    about a sixth of the decode's time; a regex took three times the decode's.
    """
    squeezed = text.translate(_DIGITS_TO_ZERO, b" \t\r\n-")
    return squeezed.startswith(_LONG_NUMBER[1:]) or _LONG_NUMBER in squeezed


class _JSONArraySplitter:
    """Cuts the bytes of a JSON array into the bytes of its top-level elements."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._scanned = 0  # bytes of the buffer already visited
        self._start = -1  # where the current element begins (-1: before the array)
        self._depth = 0
        self._in_string = False
        self._escaped_at = -1  # position of the character a backslash escapes
        self._empty = True  # no element yet: only `[]` may close an empty element
        self._fast_failures = 0
        self.closed = False

    def feed(self, chunk: bytes) -> list[Any]:
        """Add bytes; return every element completed by them, decoded."""
        self._buffer += chunk
        if self._start < 0:
            self._find_array()
        values = self._fast_run() if self._may_run_fast() else []
        elements: list[bytes] = []
        for match in _STRUCTURAL.finditer(self._buffer, self._scanned):
            self._visit(match.group(), match.start(), elements)
        self._scanned = len(self._buffer)
        self._compact()
        values.extend(_loads(element) for element in elements)
        return values

    def _find_array(self) -> None:
        """Start after the ``[`` that opens the file; anything but blanks before it is refused.

        Only JSON's own blanks: a whole-file parse refuses the rest (a BOM, ``\\f``).
        """
        text = self._buffer.lstrip(_BLANKS)
        if not text:
            self._buffer.clear()
            return
        if text[0] != ord("["):
            raise ValueError("the file is not a JSON array")
        self._start = self._scanned = len(self._buffer) - len(text) + 1

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
            values: list[Any] = _loads(b"[" + self._buffer[self._start : cut] + b"]")
        except orjson.JSONDecodeError:
            self._fast_failures += 1
            return []
        self._empty = False
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
            self._depth += 1
        elif char in b"]}" or char == b",":
            self._close_or_split(char, at, elements)

    def _string_char(self, char: bytes, at: int) -> None:
        if at == self._escaped_at:
            return
        if char == b"\\":
            self._escaped_at = at + 1
        elif char == b'"':
            self._in_string = False

    def _close_or_split(self, char: bytes, at: int, elements: list[bytes]) -> None:
        if self._depth > 0:
            if char != b",":
                self._depth -= 1
            return
        element = bytes(self._buffer[self._start : at]).strip(_BLANKS)
        if element:
            elements.append(element)
            self._empty = False
        elif char == b"," or not self._empty:  # `[1,,2]` or `[1,]`: only `[]` may be empty
            raise ValueError("the JSON array has an empty element")
        self._start = at + 1
        if char == b"]":
            self.closed = True

    def finish(self) -> None:
        """Raise unless the array was closed and nothing but blanks followed it."""
        if not self.closed:
            raise ValueError("the JSON array ended early (the file was cut short)")
        if bytes(self._buffer[self._start :]).strip(_BLANKS):
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

    Rows are what ``csv.DictReader`` gives for the whole file (empty lines skipped),
    or a ``ValueError``: a record whose field count differs from the header's (which
    ``DictReader`` would pad), a file cut inside a quoted field, whatever the ``csv``
    module refuses. Where a record ends is left to the ``csv`` module itself (see
    ``_CSVRecords``), so a stray quote cannot move a boundary.
    """
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    records = _CSVRecords()
    partial = ""  # the text after the last newline: a line not yet whole
    async for chunk in chunks:
        text = partial + decoder.decode(chunk)
        cut = text.rfind("\n") + 1
        partial = text[cut:]
        for row in records.read(text[:cut]):
            yield row
    for row in records.read(partial + decoder.decode(b"", final=True)):
        yield row
    if records.pending:
        raise ValueError("the CSV file ended inside a quoted field (the file was cut short)")


class _NeedMore(Exception):
    """The ``csv`` reader asked for a line that has not arrived yet."""


def _run_dry() -> Iterator[str]:
    raise _NeedMore
    yield ""  # pragma: no cover - makes this a generator


class _CSVRecords:
    """Whole records, found by the ``csv`` module, as dicts keyed by the first, the header.

    Each piece of text ends at a line end, and is split into lines as
    ``io.StringIO(newline="")`` splits the whole file. The reader pulls lines from
    those, then from ``_run_dry``: asking for more in the middle of a record (a
    quoted field spanning lines) raises ``_NeedMore``, and the record's lines are
    kept (``pending``) to be read again, from their start, with the next piece.
    """

    def __init__(self) -> None:
        self._header: list[str] | None = None
        self.pending: list[str] = []

    def read(self, text: str) -> list[dict[str, str]]:
        lines = self.pending + io.StringIO(text, newline="").readlines()
        reader = csv.reader(itertools.chain(lines, _run_dry()))
        rows: list[dict[str, str]] = []
        done = 0
        problem = None
        try:
            for fields in reader:
                done = reader.line_num
                self._add(fields, rows)
        except _NeedMore:
            self.pending = lines[done:]
        except csv.Error as exc:  # not a ValueError: a field over the size limit, say
            problem = f"the CSV file could not be read: {exc}"
        if problem is not None:
            raise ValueError(problem)
        return rows

    def _add(self, fields: list[str], rows: list[dict[str, str]]) -> None:
        header = self._header
        if header is None:
            self._header = fields  # DictReader's too, even when empty
        elif fields:
            if len(fields) != len(header):
                raise ValueError(
                    f"a CSV record has {len(fields)} fields where the header (the first line) "
                    f"has {len(header)}"
                )
            rows.append(dict(zip(header, fields, strict=True)))
