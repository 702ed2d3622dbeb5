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
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, TypedDict

import orjson

from .._params import check_flag, check_text, enum_value, wrong_type, wrong_value
from ..models import BatchAction, BatchMode, BatchResource, DuplicateHandling, ExportResource

__all__ = [
    "BATCH_ARGUMENTS",
    "BATCH_FILE_KEY",
    "CsvFieldOptions",
    "ExportOptions",
    "batch_body",
    "between",
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
        return aware.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")
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


def _optional_flag(name: str, value: Any) -> bool | None:
    return None if value is None else check_flag(name, value)


def _finish(body: dict[str, Any], extra_body: Any) -> dict[str, Any]:
    """Drop ``None`` values, merge ``extra_body`` last, and check it all encodes as JSON."""
    body = {key: value for key, value in body.items() if value is not None}
    if extra_body is not None:
        body.update(_check_mapping("extra_body", extra_body))
    try:
        orjson.dumps(body)
    except TypeError as exc:
        wrong_type(f"the create's body cannot be sent as JSON: {exc}")
    return body


def _check_mapping(name: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        wrong_type(f"{name} must be a mapping (a dict), got {type(value).__name__}")
    for key in value:
        check_text(f"a key of {name}", key)
    return dict(value)


def _check_options(options: Any) -> dict[str, Any] | None:
    if options is None:
        return None
    checked = _check_mapping("options", options)
    limit = checked.get("limit")
    if limit is not None and limit != "all":
        if isinstance(limit, bool) or not isinstance(limit, int):
            wrong_type(f"options['limit'] must be an integer >= 1 or 'all', got {limit!r}")
        if limit < 1:
            wrong_value(f"options['limit'] must be an integer >= 1 or 'all', got {limit!r}")
    for name in ("created_at", "updated_at"):
        if name in checked and not _date_filters(checked[name]):
            wrong_type(
                f"options[{name!r}] must be a date filter such as 'gte:2024-01-01' "
                f"(since(), until() and between() write one), got {checked[name]!r}"
            )
    return checked


def _date_filters(value: Any) -> bool:
    """A date filter (or, sent as given, a list of them)."""
    if isinstance(value, list):
        return bool(value) and all(isinstance(item, str) for item in value)
    return isinstance(value, str)


def _check_csv_options(options: Any) -> dict[str, Any] | None:
    if options is None:
        return None
    checked = _check_mapping("csv_field_options", options)
    for name in ("timezone", "datetime_format"):
        if name in checked:
            check_text(f"csv_field_options[{name!r}]", checked[name])
    columns = checked.get("columns")
    if columns is not None:
        columns = _check_mapping("csv_field_options['columns']", columns)
        if not columns or any(value is not True for value in columns.values()):
            wrong_value("csv_field_options['columns'] must map at least one column name to True")
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
    """A CSV/Excel file as the base64 data URL the API takes."""
    if isinstance(file, (bytes, bytearray, memoryview)):
        content, media = bytes(file), _sniff(bytes(file))
    elif isinstance(file, (str, os.PathLike)):
        content, media = _read(Path(file))
    else:
        wrong_type(f"file must be a path or bytes, got {type(file).__name__}")
    return f"data:{media};base64,{base64.b64encode(content).decode('ascii')}"


def _read(path: Path) -> tuple[bytes, str]:
    media = _MEDIA_TYPES.get(path.suffix.lower())
    if media is None:
        wrong_value(f"file {str(path)!r} must be a .csv, .xlsx or .xls file")
    if not path.is_file():
        wrong_value(f"file {str(path)!r} does not exist or is not a file")
    return path.read_bytes(), media


def _sniff(content: bytes) -> str:
    """The media type of file bytes: Excel files have a signature, CSV is the rest."""
    if content.startswith(b"PK\x03\x04"):
        return _MEDIA_TYPES[".xlsx"]
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        return _MEDIA_TYPES[".xls"]
    if not content:
        wrong_value("file is empty")
    return _MEDIA_TYPES[".csv"]


def _web_url(url: Any) -> str:
    text = check_text("url", url)
    if not text.startswith("https://") or any(char.isspace() for char in text):
        wrong_value("url must be an https:// URL of a public file")
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
