"""Where a batch's rows come from: the ``data`` property of ``POST /v1/batches``.

``DATA_KEY`` is the one place that says which body property carries the rows or the file
(the imports page puts data URLs in ``data``; the batches page does not show a key for
files). Its value is one of:

- an array of objects: the rows themselves (``via: api``); it may not be empty;
- a base64 data URL (``via: file``): ``data:text/csv;base64,...`` is decoded and parsed
  (UTF-8, BOM allowed, the first line is the header, blank lines skipped); a CSV that is
  not UTF-8 is accepted and the batch then fails while parsing, as a real upload would.
  The Excel types (``application/vnd.openxmlformats-officedocument.spreadsheetml.sheet``
  and ``application/vnd.ms-excel``) are opaque to the fake: they count as
  ``OPAQUE_ROWS`` valid generated rows of the resource;
- an ``https://`` URL (``via: file``): the fake never fetches anything, so it too counts
  as ``OPAQUE_ROWS`` valid generated rows.

Without ``data`` the batch is a file batch of zero rows (the fake has no upload target:
``_upload_url`` stays null). Anything else is a 400 naming ``data`` (or ``data.<i>`` for
an array element that is not an object).
"""

from __future__ import annotations

import base64
import binascii
import csv
import dataclasses
import hashlib
import io
import re
from typing import Any

import orjson

from ._body import MISSING, BodyReader
from ._rows import resource_table, salt_of

__all__ = ["DATA_KEY", "FILE_TYPES", "OPAQUE_ROWS", "Upload", "read_upload"]

DATA_KEY = "data"
OPAQUE_ROWS = 5
CSV_TYPE = "text/csv"
FILE_TYPES = (
    CSV_TYPE,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel",
)
MAX_REPORTED = 10  # bad array elements named in one 400
_DATA_URL = re.compile(r"data:([^;,]*)((?:;[^;,]*)*);base64,(.*)", re.DOTALL | re.IGNORECASE)
_HTTPS = re.compile(r"https://[^/\s?#]+\S*", re.IGNORECASE)

Rows = tuple[dict[str, Any], ...]


@dataclasses.dataclass(frozen=True)
class Upload:
    """The rows of a batch, how they came (``via``) and a checksum of what was sent."""

    via: str
    rows: Rows
    checksum: str
    unreadable: str | None = None  # why the file cannot be parsed (the batch fails)


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _opaque(resource: str, checksum: str) -> Rows:
    """Generated rows standing in for a file the fake cannot read or fetch."""
    table = resource_table(resource, OPAQUE_ROWS, salt_of("opaque", resource, checksum))
    return tuple(dict(zip(table.columns, row, strict=True)) for row in table.rows)


def _csv_rows(raw: bytes) -> Rows:
    lines = [row for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"))) if row]
    if not lines:
        return ()
    header, width = lines[0], len(lines[0])
    padded = ((row + [""] * width)[:width] for row in lines[1:])  # extra cells are dropped
    return tuple(dict(zip(header, row, strict=True)) for row in padded)


def _from_array(reader: BodyReader, value: list[Any]) -> Upload | None:
    bad = [i for i, row in enumerate(value) if not isinstance(row, dict)]
    for i in bad[:MAX_REPORTED]:
        reader.fail(f"{DATA_KEY}.{i}", value[i], "each row must be an object")
    if not value:
        reader.fail(DATA_KEY, value, f"{DATA_KEY} must hold at least one row")
    if bad or not value:
        return None
    checksum = _digest(orjson.dumps(value, option=orjson.OPT_SORT_KEYS))
    return Upload("api", tuple(value), checksum)


def _from_data_url(reader: BodyReader, text: str, resource: str) -> Upload | None:
    match = _DATA_URL.fullmatch(text)
    media = match.group(1).lower() if match else ""
    if match is None or media not in FILE_TYPES:
        message = f"a data URL must be data:<type>;base64,... with type one of {FILE_TYPES}"
        reader.fail(DATA_KEY, text[:100], message)
        return None
    try:
        raw = base64.b64decode(match.group(3), validate=True)
    except binascii.Error:
        reader.fail(DATA_KEY, text[:100], "the data URL's payload is not valid base64")
        return None
    if media != CSV_TYPE:
        checksum = _digest(raw)
        return Upload("file", _opaque(resource, checksum), checksum)
    try:
        return Upload("file", _csv_rows(raw), _digest(raw))
    except UnicodeDecodeError:
        return Upload("file", (), _digest(raw), "File could not be parsed: not UTF-8 text")


def read_upload(reader: BodyReader, resource: str) -> Upload | None:
    """The batch's rows from ``data`` (None with an error recorded when it is unusable)."""
    value = reader.get(DATA_KEY)
    if value is MISSING or value is None:
        return Upload("file", (), _digest(b""))
    if isinstance(value, list):
        return _from_array(reader, value)
    if isinstance(value, str) and value[:5].lower() == "data:":
        return _from_data_url(reader, value, resource)
    if isinstance(value, str) and _HTTPS.fullmatch(value):
        checksum = _digest(value.encode())
        return Upload("file", _opaque(resource, checksum), checksum)
    message = f"{DATA_KEY} must be an array of objects, a base64 data URL or an https:// URL"
    reader.fail(DATA_KEY, value if not isinstance(value, str) else value[:100], message)
    return None
