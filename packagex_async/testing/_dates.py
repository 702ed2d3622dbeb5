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
from collections.abc import Callable

__all__ = ["DATE_OPS", "UTC", "DateFilter", "iso", "parse_filter", "zone"]

DATE_OPS: dict[str, Callable[[float, float], bool]] = {
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
    "eq": operator.eq,
}
UTC = dt.timezone.utc


@dataclasses.dataclass(frozen=True)
class DateFilter:
    """Keep records whose ``field`` (epoch seconds) compares ``op`` to ``when``."""

    field: str
    op: str
    when: dt.date | dt.datetime

    def keep(self, epoch: int) -> bool:
        """Whether a record stamped ``epoch`` passes."""
        compare = DATE_OPS[self.op]
        if isinstance(self.when, dt.datetime):
            return compare(epoch, int(self.when.timestamp()))
        day = dt.datetime.fromtimestamp(epoch, UTC).date()
        return compare(day.toordinal(), self.when.toordinal())


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
    """``value`` as a filter on ``field``, or None when it is not ``"<op>:<ISO date>"``."""
    if not isinstance(value, str):
        return None
    op, _, text = value.partition(":")
    when = _when(text) if op in DATE_OPS else None
    return None if when is None else DateFilter(field, op, when)


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
