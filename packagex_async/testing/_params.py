"""Query-string validation that reports every bad parameter at once.

Each error names the parameter (``property``), the value received and what was
expected, the way the API's ``errors`` array names failing properties. The fake is
strict on purpose: a client that sends ``True`` instead of ``true`` or a misspelled
filter value gets a 400 here rather than silently unfiltered data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["QueryError", "QueryReader"]

_DIGITS = re.compile(r"[0-9]+")
MAX_INT = 2**31 - 1  # beyond this, page arithmetic and orjson's 64-bit ints get silly
_FLAGS = ("true", "false")


class QueryError(Exception):
    """Raised by ``QueryReader.check`` with the collected ``errors``."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} invalid query parameter(s)")
        self.errors = errors


class QueryReader:
    """Reads typed values out of a query mapping, collecting errors instead of raising."""

    def __init__(self, query: Mapping[str, str]) -> None:
        self._query = query
        self.errors: list[dict[str, Any]] = []

    def _fail(self, name: str, value: str, message: str) -> None:
        self.errors.append({"property": name, "value": value, "message": message})

    def positive_int(self, name: str, default: int, maximum: int | None = None) -> int:
        """An integer >= 1 and <= ``maximum`` (default MAX_INT)."""
        raw = self._query.get(name)
        if raw is None:
            return default
        if not _DIGITS.fullmatch(raw) or int(raw) < 1:
            self._fail(name, raw, f"{name} must be an integer >= 1")
            return default
        maximum = MAX_INT if maximum is None else maximum
        if int(raw) > maximum:
            self._fail(name, raw, f"{name} must be <= {maximum}")
            return default
        return int(raw)

    def choice(self, name: str, allowed: Sequence[str]) -> str | None:
        """One of ``allowed``, or None when absent."""
        raw = self._query.get(name)
        if raw is not None and raw not in allowed:
            self._fail(name, raw, f"{name} must be one of: {', '.join(allowed)}")
            return None
        return raw

    def choices(self, name: str, allowed: Sequence[str]) -> frozenset[str] | None:
        """A comma-separated set of ``allowed`` values, or None when absent."""
        raw = self._query.get(name)
        if raw is None:
            return None
        values = raw.split(",")
        if not all(value in allowed for value in values):
            self._fail(name, raw, f"{name} must be comma-separated values of: {', '.join(allowed)}")
            return None
        return frozenset(values)

    def flag(self, name: str) -> bool:
        """A boolean sent as the string ``true`` or ``false`` (default false)."""
        raw = self._query.get(name)
        if raw is not None and raw not in _FLAGS:
            self._fail(name, raw, f"{name} must be 'true' or 'false'")
        return raw == "true"

    def text(self, name: str) -> str | None:
        """A free-text value, or None when absent."""
        return self._query.get(name)

    def check(self) -> None:
        """Raise QueryError if any value was bad."""
        if self.errors:
            raise QueryError(self.errors)
