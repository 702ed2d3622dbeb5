"""The bodies of the creates, checked before anything is sent.

``POST /v1/exports`` and ``POST /v1/batches`` are built here; a resource with its own
create rules (``resources/_imports``) builds its body from the shared checks at the
end of this module. Every argument is
checked here by the one argument rule, so a create never reaches the server with a
body the API would refuse for a reason the SDK could have named. Keys whose value
is ``None`` are left out; ``extra_body`` is merged in last, as given.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import math
import os
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, TypedDict

import orjson
import yarl

from .._params import check_flag, check_text, enum_value, wrong_type, wrong_value
from ..models import (
    BatchAction,
    BatchMode,
    BatchResource,
    DuplicateHandling,
    ExportResource,
    SortDirection,
)

__all__ = [
    "BATCH_ARGUMENTS",
    "BATCH_FILE_KEY",
    "CsvFieldOptions",
    "ExportOptions",
    "batch_body",
    "between",
    "check_batch_download",
    "data_url",
    "export_body",
    "finish_body",
    "optional_flag",
    "rows_of",
    "since",
    "until",
]

BATCH_FILE_KEY = "data"
"""Where a batch's file (a data URL or a web URL) goes in the body.

The imports page puts the data URL in ``data``; the batches page does not show the
key for files. This is the one place that says so.
"""

MERGE_ONLY = frozenset({"shipment", "tracker", "asset"})
"""Batch resources whose only documented action is ``merge``."""

_MEDIA_TYPES = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
}


class ExportOptions(TypedDict, total=False):
    """``options`` of an export: the list API's filtering and pagination, as documented.

    Any other filter of the exported resource may be passed too (a plain ``dict``).
    """

    limit: int | Literal["all"]
    order_by: str
    direction: Literal["asc", "desc"]
    created_at: str | list[str]
    """A date filter, ``"<condition>:<date>[,<date>]"``: ``since(date)``,
    ``until(date)`` and ``between(first, last)`` write one (a range is one ``bwi:``
    condition, as documented; a list of conditions is sent as given, undocumented)."""
    updated_at: str | list[str]


class CsvFieldOptions(TypedDict, total=False):
    """``csv_field_options`` of an export: how the CSV is written."""

    timezone: str
    """An IANA name such as ``"Europe/Berlin"``."""
    datetime_format: str
    """For example ``"MM/dd/yyyy hh:mm:ss a"``."""
    columns: Mapping[str, bool]
    """Column name to ``True``; the order given is the order written."""


def since(when: dt.date) -> str:
    """The date filter "on or after ``when``": ``"gte:2024-01-01"``."""
    return f"gte:{_filter_date('since', when)}"


def until(when: dt.date) -> str:
    """The date filter "on or before ``when``": ``"lte:2024-01-31"``."""
    return f"lte:{_filter_date('until', when)}"


def between(first: dt.date, last: dt.date) -> str:
    """The date filter "from ``first`` to ``last``, both included": ``"bwi:2024-01-01,2024-01-31"``.

    The docs' one condition for a range (``since()`` and ``until()`` together would be
    two conditions on one field, which no page documents). ``first`` must not be
    after ``last``; dates and datetimes may be mixed.
    """
    start, end = _filter_date("between", first), _filter_date("between", last)
    if _moment(first) > _moment(last):
        wrong_value(f"between() takes the earlier date first, got {start} after {end}")
    return f"bwi:{start},{end}"


def _moment(when: dt.date) -> dt.datetime:
    """``when`` as an aware datetime, for ordering (a date is its midnight UTC)."""
    if isinstance(when, dt.datetime):
        return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)
    return dt.datetime.combine(when, dt.time(), dt.timezone.utc)


def _filter_date(name: str, when: Any) -> str:
    """A date as ``YYYY-MM-DD``; a datetime as UTC ISO 8601 (a naive one is taken as UTC)."""
    if isinstance(when, dt.datetime):
        aware = when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)
        try:
            utc = aware.astimezone(dt.timezone.utc)
        except OverflowError:  # 9999-12-31 23:00-05:00 is in the year 10000 in UTC
            utc = None
        if utc is None:
            wrong_value(f"{name}() takes a datetime within the years 1-9999 in UTC, got {when!r}")
        return utc.isoformat().replace("+00:00", "Z")
    if not isinstance(when, dt.date):
        wrong_type(f"{name}() takes a datetime.date or datetime.datetime, got {when!r}")
    return when.isoformat()


def export_body(
    resource: Any, options: Any, csv_field_options: Any, extra_body: Any
) -> dict[str, Any]:
    """The JSON body of ``POST /v1/exports``."""
    body = {
        "resource": enum_value("resource", resource, ExportResource),
        "options": _check_options(options),
        "csv_field_options": _check_csv_options(csv_field_options),
    }
    return _finish(body, extra_body)


BATCH_ARGUMENTS = (
    "resource",
    "action",
    "data",
    "file",
    "url",
    "mode",
    "save_upload",
    "save_result",
    "duplicate_handling",
    "extra_body",
)
"""The keyword arguments of ``batches.create`` (and ``run``) that make up the body."""


def batch_body(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON body of ``POST /v1/batches``, from ``create``'s arguments picked by name."""
    given = {name: arguments[name] for name in BATCH_ARGUMENTS}
    kind = enum_value("resource", given["resource"], BatchResource)
    verb = enum_value("action", given["action"], BatchAction)
    if kind in MERGE_ONLY and verb != "merge":
        wrong_value(f"action must be 'merge' for resource {kind!r} (the only action it allows)")
    mode, handling = given["mode"], given["duplicate_handling"]
    body = {
        "resource": kind,
        "action": verb,
        BATCH_FILE_KEY: _batch_source({n: given[n] for n in ("data", "file", "url")}),
        "mode": None if mode is None else enum_value("mode", mode, BatchMode, ("sync", "mixed")),
        "save_upload": _optional_flag("save_upload", given["save_upload"]),
        "save_result": _optional_flag("save_result", given["save_result"]),
        "duplicate_handling": None
        if handling is None
        else enum_value("duplicate_handling", handling, DuplicateHandling),
    }
    return _finish(body, given["extra_body"])


def check_batch_download(body: Mapping[str, Any], file: str) -> None:
    """Refuse a ``run()`` download the batch could never have, before it is created.

    The API keeps a result file only with ``save_result`` (default false) and the
    upload files unless ``save_upload`` is false.
    """
    if file == "result_json" and body.get("save_result") is not True:
        wrong_value(
            "download='result_json' needs save_result=True: without it the batch keeps no "
            "result file (nothing was sent)"
        )
    if file.startswith("upload_") and body.get("save_upload") is False:
        wrong_value(f"download={file!r} needs save_upload=True, the API's default")


def _optional_flag(name: str, value: Any) -> bool | None:
    return None if value is None else check_flag(name, value)


def _finish(body: dict[str, Any], extra_body: Any) -> dict[str, Any]:
    """Drop ``None`` values, merge ``extra_body`` last, and check it all encodes as JSON."""
    body = {key: value for key, value in body.items() if value is not None}
    if extra_body is not None:
        body.update(_check_mapping("extra_body", extra_body))
    problem = None
    try:
        orjson.dumps(body)
    except TypeError as exc:
        problem = str(exc)
    if problem is not None or not _all_finite(body):
        _refuse_numbers(body)
    if problem is not None:
        wrong_type(f"the create's body cannot be sent as JSON: {problem}")
    return body


_INTEGERS = range(-(2**63), 2**64)
"""The integers orjson (and most JSON readers) take exactly: 64 bits, signed or not."""


def _all_finite(body: dict[str, Any]) -> bool:
    """Whether no NaN or infinity is anywhere: orjson would send one as ``null``.

    The standard library's C encoder finds one quickly (``default`` stands in for
    the types only orjson knows); only when it does is the body walked.
    """
    try:
        json.dumps(body, allow_nan=False, default=lambda _: None)
    except ValueError:
        return False
    return True


def _refuse_numbers(body: dict[str, Any]) -> None:
    """A ``PackageXValueError`` naming the first number JSON cannot carry, if any."""
    found = next(filter(None, (_unsendable(v, k) for k, v in body.items())), None)
    if found is not None:
        place, value = found
        wrong_value(
            f"numbers must be finite and fit in 64 bits: {place} is {value!r} "
            "(JSON has no NaN or infinity)"
        )


def _unsendable(value: Any, place: str) -> tuple[str, object] | None:
    """The first NaN, infinity or too large an integer in ``value``, and where it is,
    like ``data[3]['weight']``."""
    if isinstance(value, float):
        return None if math.isfinite(value) else (place, value)
    if isinstance(value, int):
        return None if value in _INTEGERS else (place, value)
    if isinstance(value, Mapping):
        items: Any = ((f"[{key!r}]", item) for key, item in value.items())
    elif isinstance(value, (list, tuple)):
        items = ((f"[{index}]", item) for index, item in enumerate(value))
    else:
        return None
    for step, item in items:
        found = _unsendable(item, place + step)
        if found is not None:
            return found
    return None


def _check_mapping(name: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        wrong_type(f"{name} must be a mapping (a dict), got {type(value).__name__}")
    for key in value:
        check_text(f"a key of {name}", key)
    return dict(value)


def _check_options(options: Any) -> dict[str, Any] | None:
    """The documented options by the list API's own rules; other filters as given."""
    if options is None:
        return None
    checked = _check_mapping("options", options)
    limit = checked.get("limit")
    if limit is not None and limit != "all":
        if isinstance(limit, bool) or not isinstance(limit, int):
            wrong_type(f"options['limit'] must be an integer >= 1 or 'all', got {limit!r}")
        if limit < 1:
            wrong_value(f"options['limit'] must be an integer >= 1 or 'all', got {limit!r}")
    order_by = checked.get("order_by")
    if order_by is not None and not check_text("options['order_by']", order_by):
        wrong_value("options['order_by'] must name a field, such as 'created_at'")
    if checked.get("direction") is not None:
        enum_value("options['direction']", checked["direction"], SortDirection)
    for name in ("created_at", "updated_at"):
        if name in checked:
            _check_date_filters(f"options[{name!r}]", checked[name])
    return checked


DATE_CONDITIONS = ("equals", "not_equals", "gt", "lt", "gte", "lte", "bwi", "bwe", "in", "not_in")
"""The conditions of a date filter, ``"<condition>:<date1>,<date2>,..."`` (docs: Date filters)."""
_ISO_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?",
    re.ASCII,
)


def _check_date_filters(name: str, value: Any) -> None:
    """A date filter, or a non-empty list of them (a range: ``[since(a), until(b)]``)."""
    filters = value if isinstance(value, list) and value else [value]
    for item in filters:
        if not isinstance(item, str):
            wrong_type(
                f"{name} must be a date filter such as 'gte:2024-01-01' "
                f"(since(), until() and between() write one), or a list of them, got {value!r}"
            )
        problem = _date_filter_problem(item)
        if problem is not None:
            wrong_value(f"{name} must be a date filter such as 'gte:2024-01-01': {problem}")


def _date_filter_problem(text: str) -> str | None:
    """What is wrong with ``"<condition>:<date1>,<date2>,..."``, or None."""
    condition, colon, dates = text.partition(":")
    if not colon or condition not in DATE_CONDITIONS:
        return f"{text!r} must start with one of {', '.join(DATE_CONDITIONS)} and a colon"
    parts = dates.split(",")
    for part in parts:
        if not _ISO_DATE.fullmatch(part) or not _real_day(part[:10]):
            return f"{part!r} in {text!r} is not an ISO 8601 date, such as 2024-01-31"
    if condition in ("bwi", "bwe") and len(parts) != 2:
        return f"{condition} takes exactly two dates (the earlier first), got {text!r}"
    return None


def _real_day(day: str) -> bool:
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        return False
    return True


def _check_csv_options(options: Any) -> dict[str, Any] | None:
    if options is None:
        return None
    checked = _check_mapping("csv_field_options", options)
    for name in ("timezone", "datetime_format"):
        if name in checked and not check_text(f"csv_field_options[{name!r}]", checked[name]):
            wrong_value(f"csv_field_options[{name!r}] must not be empty; leave it out instead")
    columns = checked.get("columns")
    if columns is not None:
        columns = _check_mapping("csv_field_options['columns']", columns)
        if not columns or any(value is not True for value in columns.values()):
            wrong_value("csv_field_options['columns'] must map at least one column name to True")
        if not all(columns):
            wrong_value("csv_field_options['columns'] has an empty column name")
    return checked


def _batch_source(source: Mapping[str, Any]) -> Any:
    """Exactly one of ``data`` (rows), ``file`` (a path or bytes) and ``url``."""
    given = [name for name, value in source.items() if value is not None]
    if len(given) != 1:
        wrong_value(f"give exactly one of data, file and url, got {', '.join(given) or 'none'}")
    (name,) = given
    if name == "data":
        return _rows(source["data"])
    if name == "file":
        return _data_url(source["file"])
    return _web_url(source["url"])


def _rows(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, (str, bytes, Mapping)) or not isinstance(data, Sequence):
        wrong_type(f"data must be a list of rows (mappings), got {type(data).__name__}")
    if not data:
        wrong_value("data must hold at least one row")
    for index, row in enumerate(data):
        if not isinstance(row, Mapping):
            wrong_type(f"data[{index}] must be a mapping (one row), got {type(row).__name__}")
    return [dict(row) for row in data]


def _data_url(file: Any) -> str:
    """A CSV/Excel file as the base64 data URL the API takes; its bytes must be one."""
    if isinstance(file, (bytes, bytearray, memoryview)):
        content = bytes(file)
        media = _sniff(content, "file")
    elif isinstance(file, (str, os.PathLike)):
        path = Path(file)
        named = f"file {str(path)!r}"
        expected = _MEDIA_TYPES.get(path.suffix.lower())
        if expected is None:
            wrong_value(f"{named} must be a .csv, .xlsx or .xls file")
        content = _read(path, named)
        media = _sniff(content, named)
        if media != expected:
            wrong_value(
                f"{named} holds {_KINDS[media]}, not what its name says ({_KINDS[expected]})"
            )
    else:
        wrong_type(f"file must be a path or bytes, got {type(file).__name__}")
    return f"data:{media};base64,{base64.b64encode(content).decode('ascii')}"


def _read(path: Path, named: str) -> bytes:
    """The file's bytes; a file that cannot be read is the caller's argument error."""
    if not path.is_file():
        wrong_value(f"{named} does not exist or is not a file")
    reason = None
    try:
        content = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
    if reason is not None:
        wrong_value(f"{named} cannot be read: {reason}")
    return content


_KINDS = {
    "text/csv": "CSV text",
    _MEDIA_TYPES[".xlsx"]: "an Excel workbook (.xlsx)",
    _MEDIA_TYPES[".xls"]: "an Excel 97-2003 workbook (.xls)",
}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The signature of an OLE2 compound file, the container of an .xls workbook."""
_CONTROL = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
"""Bytes that text does not hold (tab, newlines, form feed and escape aside): binary data."""
_NOT_CONTROL = bytes(sorted(set(range(256)) - set(_CONTROL)))


def _sniff(content: bytes, named: str) -> str:
    """The media type of file bytes: Excel files by their container, CSV is text.

    Text is any bytes without control characters (a CSV may be UTF-8 or a legacy
    8-bit encoding; the API reads it). A zip that holds no ``xl/`` part (a .docx,
    a cut .xlsx) is not a workbook.
    """
    if not content:
        wrong_value(f"{named} is empty")
    if content.startswith(b"PK\x03\x04"):
        if not _is_workbook(content):
            wrong_value(f"{named} is a zip file but not an Excel workbook (.xlsx), or it is cut")
        return _MEDIA_TYPES[".xlsx"]
    if content.startswith(_OLE2):
        return _MEDIA_TYPES[".xls"]
    if content.translate(None, _NOT_CONTROL):
        wrong_value(
            f"{named} is neither CSV text nor an Excel workbook (.xlsx, .xls): it holds binary data"
        )
    return _MEDIA_TYPES[".csv"]


def _is_workbook(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    return any(name.startswith("xl/") for name in names)


def _web_url(url: Any) -> str:
    text = check_text("url", url)
    try:
        host = yarl.URL(text).host if text.startswith("https://") else None
    except ValueError:
        host = None
    if not host or any(char.isspace() for char in text):
        wrong_value("url must be an https:// URL of a public file, with a host")
    return text


# The same checks for every create that takes rows or a file (a resource module's own
# body rules use them under these names).
rows_of = _rows
"""``data`` as a non-empty list of rows (mappings), by the argument rule."""
data_url = _data_url
"""A .csv/.xlsx/.xls path (or its bytes) as the base64 data URL the API takes."""
optional_flag = _optional_flag
"""A boolean argument, or None when not given."""
finish_body = _finish
"""Drop ``None`` values, merge ``extra_body`` last, check the body encodes as JSON."""
