"""Date filters (``"gte:2024-01-01"``) and the ISO timestamps written into export files.

A filter is ``"<op>:<when>"`` with op gt, gte, lt, lte or eq and ``when`` an ISO date
(``2024-01-01``) or date-time (``2024-01-01T08:30:00Z``; no offset means UTC). A date
compares whole UTC days (``eq:2024-01-01`` is that day, ``gt:2024-01-01`` starts the day
after); a date-time compares instants to the second.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator
import zoneinfo

__all__ = ["DATE_OPS", "UTC", "DateFilter", "iso", "parse_filter", "zone"]

_ONE = {
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
    "eq": operator.eq,
    "equals": operator.eq,
    "not_equals": operator.ne,
}
"""Conditions on one date (``eq`` is kept beside the documented ``equals``)."""
_RANGES = {"bwi": (operator.ge, operator.le), "bwe": (operator.gt, operator.lt)}
"""Between, inclusive or exclusive: exactly two dates, the earlier first."""
_SETS = {"in": True, "not_in": False}
"""One date or more: the day (or moment) is among them, or is not."""
DATE_OPS = (*_ONE, *_RANGES, *_SETS)
"""Every condition of the docs' ``<condition>:<date1>,<date2>,...`` format."""
UTC = dt.timezone.utc


@dataclasses.dataclass(frozen=True)
class DateFilter:
    """Keep records whose ``field`` (epoch seconds) meets ``op`` with the dates ``when``."""

    field: str
    op: str
    when: tuple[dt.date | dt.datetime, ...]

    def keep(self, epoch: int) -> bool:
        """Whether a record stamped ``epoch`` passes."""
        pairs = [_point(epoch, when) for when in self.when]
        if self.op in _RANGES:
            (low, high), (first, second) = _RANGES[self.op], pairs
            return bool(low(*first) and high(*second))
        if self.op in _SETS:
            return any(here == point for here, point in pairs) is _SETS[self.op]
        return bool(_ONE[self.op](*pairs[0]))


def _point(epoch: int, when: dt.date | dt.datetime) -> tuple[int, int]:
    """The record and ``when`` as comparable numbers: seconds, or days for a date."""
    if isinstance(when, dt.datetime):
        return epoch, int(when.timestamp())
    day = dt.datetime.fromtimestamp(epoch, UTC).date()
    return day.toordinal(), when.toordinal()


def _when(text: str) -> dt.date | dt.datetime | None:
    """An ISO date or date-time (``Z`` allowed), None if it is neither."""
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def parse_filter(field: str, value: object) -> DateFilter | None:
    """``value`` as a filter on ``field``, or None unless ``"<condition>:<dates>"``.

    ``bwi`` / ``bwe`` take exactly two ISO dates, the earlier first; ``in`` /
    ``not_in`` one or more; every other condition exactly one.
    """
    if not isinstance(value, str):
        return None
    op, _, text = value.partition(":")
    if op not in DATE_OPS:
        return None
    whens = [_when(part) for part in text.split(",")]
    if any(when is None for when in whens):
        return None
    dates = tuple(when for when in whens if when is not None)
    if op in _RANGES:
        if len(dates) != 2 or _sort_key(dates[0]) > _sort_key(dates[1]):
            return None
    elif op not in _SETS and len(dates) != 1:
        return None
    return DateFilter(field, op, dates)


def _sort_key(when: dt.date | dt.datetime) -> float:
    if isinstance(when, dt.datetime):
        return when.timestamp()
    return dt.datetime.combine(when, dt.time(), UTC).timestamp()


def zone(name: str | None) -> dt.tzinfo:
    """The IANA zone ``name``; UTC when absent or unknown to this machine's tz database."""
    if not name:
        return UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return UTC


def iso(epoch: int, tz: dt.tzinfo = UTC) -> str:
    """``epoch`` as ISO 8601 in ``tz`` (``Z`` for UTC), to the second."""
    text = dt.datetime.fromtimestamp(epoch, tz).isoformat(timespec="seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text
