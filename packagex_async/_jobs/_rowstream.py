"""Rows from a file as it streams in: JSON arrays and CSV, never the whole file in memory.

A result file can hold millions of rows; ``rows()`` must start yielding after the
first chunk and hold only about one chunk at a time.

- JSON: the file is one array of values. Arrays of objects (every result file) are
  decoded a run at a time: the longest prefix of whole objects in the buffer goes to
  one ``orjson.loads`` call, found with C-speed counting and proved by the parse.
  Anything else (scalars, a run the parse refuses, the last element) goes through
  ``_JSONArraySplitter``'s exact scan, which finds brackets, braces, commas and
  quotes with a regex, skips each string whole (its closing quote found with
  ``bytes.index``) and decodes each element alone.
- CSV: text is decoded incrementally and cut after its last whole line; the
  ``csv`` module reads each chunk's lines in one go and itself says where a record
  ends (a quoted field may span lines), into dicts keyed by the header row.
"""

from __future__ import annotations

import csv
import enum
import io
import itertools
import json
import re
from collections.abc import AsyncIterator, Iterator
from encodings.utf_8_sig import IncrementalDecoder
from typing import Any

import orjson

__all__ = ["csv_rows", "json_rows"]

_STRUCTURAL = re.compile(rb'["\[\]{},]')
_OPENERS = b"[{"
_QUOTE, _BACKSLASH, _COMMA = ord('"'), ord("\\"), ord(",")
_OPEN, _END = ord("["), ord("]")  # the array's own brackets
_FAST_FAILURES = 3
"""Runs refused by the parse before the fast path is given up for a file."""
_RESCAN_LIMIT = 64 * 1024
"""The most of a partial element rescanned to try a run again."""
_BLANKS = b" \t\r\n"
"""JSON's white space; ``bytes.strip()`` would take ``\\v`` and ``\\f`` too."""
_DIGITS_TO_ZERO = bytes.maketrans(b"0123456789[,", b"0000000000::")
_NOT_DIGITS = b" \t\r\n-"
"""Dropped before looking for long integers: blanks, and the sign before a number."""
_LONG_NUMBER = b":" + b"0" * 19
"""After ``_DIGITS_TO_ZERO`` (``_NOT_DIGITS`` dropped): 19 digits where a value starts."""


def _loads(text: bytes | bytearray) -> Any:
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


def _may_hold_a_long_integer(text: bytes | bytearray) -> bool:
    """Whether a number of 19 or more digits may start a value in ``text`` (at its start,
    or after ``[``, ``:`` or ``,``); a string that looks so only costs a second decode.

    Past 64 bits orjson makes an integer a float. A translation and a search run in C,
    about a sixth of the decode's time; a regex took three times the decode's.
    """
    squeezed = text.translate(_DIGITS_TO_ZERO, _NOT_DIGITS)
    return squeezed.startswith(_LONG_NUMBER[1:]) or _LONG_NUMBER in squeezed


class _Phase(enum.Enum):
    BEFORE = "before the array's ["
    FIRST = "before its first element"  # only `[]` may hold an empty element
    MORE = "after an element"
    CLOSED = "after its ]"


class _JSONArraySplitter:
    """Cuts the bytes of a JSON array into its top-level elements, decoded.

    The buffer always starts at the current element: what came before it is handed
    out and dropped at the end of every ``feed``. So a scan can always start again
    from 0 with nothing open, which the fast path does with every chunk.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._phase = _Phase.BEFORE
        self._fast_failures = 0
        self._start = 0  # where the element being scanned begins
        self._restart_scan()

    def _restart_scan(self) -> None:
        """Scan again from the buffer's start, which is the current element's."""
        self._scanned = 0  # bytes of the buffer already visited
        self._depth = 0
        self._open_quote: int | None = None  # where the string being scanned began

    def feed(self, chunk: bytes) -> list[Any]:
        """Add bytes; return every element completed by them, decoded."""
        waiting = len(self._buffer)  # bytes of the current element from earlier chunks
        self._buffer += chunk
        if self._phase is _Phase.BEFORE:
            self._find_array()
        values = self._fast_run() if self._may_run_fast(waiting) else []
        elements: list[bytearray] = []
        self._scan(elements)
        self._compact()
        self._refuse_after_the_end()
        values.extend(map(_loads, elements))
        return values

    def finish(self) -> None:
        """Raise unless the array was closed (what followed it was checked by ``feed``)."""
        if self._phase is not _Phase.CLOSED:
            raise ValueError("the JSON array ended early (the file was cut short)")

    def _find_array(self) -> None:
        """Drop the blanks and the ``[`` that open the file; anything else before it is refused.

        Only JSON's own blanks: a whole-file parse refuses the rest (a BOM, ``\\f``).
        """
        blanks = len(self._buffer) - len(self._buffer.lstrip(_BLANKS))
        if blanks == len(self._buffer):
            self._buffer.clear()
        elif self._buffer[blanks] == _OPEN:
            del self._buffer[: blanks + 1]
            self._phase = _Phase.FIRST
        else:
            raise ValueError("the file is not a JSON array")

    def _may_run_fast(self, waiting: int) -> bool:
        """Whether to try a run: inside the array, and at most a little rescanned.

        A huge element is left to the exact scan instead of being rescanned with
        every chunk.
        """
        return (
            self._phase is not _Phase.CLOSED
            and self._fast_failures < _FAST_FAILURES
            and waiting <= _RESCAN_LIMIT
        )

    def _fast_run(self) -> list[Any]:
        """Every whole object at the start of the buffer, decoded by one ``orjson`` call.

        A cut is proposed where brace and bracket counts balance after a ``},`` or
        ``}]``, and proved by the parse itself: a prefix of the array that parses
        as an array ends at an element boundary (a cut inside a string or a nested
        value cannot parse). A string holding braces can only mislead the counts
        into no cut or a refused one; then the exact scan does the work.
        """
        self._restart_scan()  # whatever the run finds, the exact scan starts again at 0
        cut = _balanced_cut(self._buffer)
        if not cut:
            return []
        try:
            values: list[Any] = _loads(b"[" + self._buffer[:cut] + b"]")
        except orjson.JSONDecodeError:
            self._fast_failures += 1
            return []
        self._phase = _Phase.CLOSED if self._buffer[cut] == _END else _Phase.MORE
        self._start = self._scanned = cut + 1
        return values

    def _scan(self, elements: list[bytearray]) -> None:
        """Visit the structure from ``_scanned`` up to the array's end or the buffer's.

        A string is skipped whole (its end found with ``bytes.index``); a string
        still open at the buffer's end is finished with the next chunk.
        """
        buffer = self._buffer
        position = self._scanned
        while self._phase is not _Phase.CLOSED:
            if self._open_quote is not None:
                try:
                    position = _closing_quote(buffer, position) + 1
                except ValueError:  # the string goes on in a later chunk
                    break
                self._open_quote = None
            match = _STRUCTURAL.search(buffer, position)
            if match is None:
                break
            at = match.start()
            position = at + 1
            if buffer[at] == _QUOTE:
                self._open_quote = at
            else:
                self._structure(buffer[at], at, elements)
        self._scanned = len(buffer)

    def _structure(self, char: int, at: int, elements: list[bytearray]) -> None:
        """A bracket, brace or comma outside strings.

        A ``}`` that closes nothing stays in its element, for the decode to refuse.
        """
        if char in _OPENERS:
            self._depth += 1
        elif self._depth:
            if char != _COMMA:
                self._depth -= 1
        elif char in (_COMMA, _END):
            self._split(at, char, elements)

    def _split(self, at: int, char: int, elements: list[bytearray]) -> None:
        """End the element before ``at``, a top-level ``,`` or the array's ``]``."""
        element = self._buffer[self._start : at].strip(_BLANKS)
        if element:
            elements.append(element)
            self._phase = _Phase.MORE
        elif char == _COMMA or self._phase is _Phase.MORE:  # `[,1]`, `[1,,2]`, `[1,]`
            raise ValueError("the JSON array has an empty element")
        self._start = at + 1
        if char == _END:
            self._phase = _Phase.CLOSED

    def _compact(self) -> None:
        """Drop the bytes of elements already handed out."""
        del self._buffer[: self._start]
        self._scanned -= self._start
        self._start = 0

    def _refuse_after_the_end(self) -> None:
        """After the array's ``]`` only blanks may come, and they are dropped."""
        if self._phase is _Phase.CLOSED:
            if self._buffer.strip(_BLANKS):
                raise ValueError("the file holds more than one JSON array")
            self._buffer.clear()


def _closing_quote(buffer: bytearray, position: int) -> int:
    """Where the string being scanned ends: its next unescaped ``"`` from ``position``.

    Raises ``ValueError`` when that has not arrived yet.
    """
    end = buffer.index(b'"', position)
    while _escaped(buffer, end):
        end = buffer.index(b'"', end + 1)
    return end


def _escaped(buffer: bytearray, quote: int) -> bool:
    """Whether the ``"`` at ``quote`` is escaped: after an odd run of backslashes.

    The run stops at the string's opening quote at the latest, which is in the buffer.
    """
    run = 0
    while buffer[quote - run - 1] == _BACKSLASH:
        run += 1
    return run % 2 == 1


def _balanced_cut(buffer: bytearray) -> int:
    """Where the last whole object of ``buffer`` ends: the ``,`` or ``]`` after the last
    ``}`` at which brackets and braces balance, or 0 if there is none.

    The balance of the whole buffer is counted once; each step back subtracts only
    the part it passes, so with ``bytes.count`` in C each byte is counted about twice.
    """
    tail = None  # the part before it is still to search; None: the buffer's end
    balance = _balance(buffer)
    while cut := max(buffer.rfind(b"},", None, tail), buffer.rfind(b"}]", None, tail)) + 1:
        balance -= _balance(buffer, cut, tail)
        if not balance:
            return cut
        tail = cut
    return 0


def _balance(buffer: bytearray, begin: int = 0, end: int | None = None) -> int:
    """Opening minus closing brackets and braces in ``buffer[begin:end]``, strings or not."""
    return (
        buffer.count(b"{", begin, end)
        + buffer.count(b"[", begin, end)
        - buffer.count(b"}", begin, end)
        - buffer.count(b"]", begin, end)
    )


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
    decoder = IncrementalDecoder()
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
    yield from ()  # pragma: no cover - makes this a generator


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
            del lines[:done]  # the lines of whole records
            self.pending = lines
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
            rows.append(dict(zip(header, fields)))  # noqa: B905 - the lengths are equal
