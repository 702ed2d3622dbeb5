"""JSON request bodies, read the way the query strings are: every bad property at once.

Each error is ``{"property", "value", "message"}``, the same shape as the query errors
(``_params``), so a client reads one shape in every 400. Nested properties are named with
dots (``options.limit``, ``csv_field_options.columns.name``, ``data.2``); the property
``body`` means the body as a whole (not JSON, or not an object). Unknown keys are
ignored, as a tolerant server would; only the documented keys are checked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson

__all__ = ["MAX_INT", "BodyError", "BodyReader", "parse_body"]

MAX_INT = 2**31 - 1
MISSING: Any = object()


class BodyError(Exception):
    """A body that cannot be accepted; ``errors`` name each failing property."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} invalid propert(ies) in the request body")
        self.errors = errors


def parse_body(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object; BodyError (property ``body``) for anything else."""
    try:
        value = orjson.loads(raw) if raw else MISSING
    except orjson.JSONDecodeError:
        value = MISSING
    if not isinstance(value, dict):
        message = "the request body must be a JSON object"
        raise BodyError([{"property": "body", "value": None, "message": message}])
    return value


def is_int(value: Any) -> bool:
    """A JSON integer (``true`` is an int in Python, not in JSON)."""
    return isinstance(value, int) and not isinstance(value, bool)


class BodyReader:
    """Reads typed properties of one JSON object, collecting errors instead of raising.

    ``prefix`` names nested objects (``options.``); child readers share the error list.
    """

    def __init__(
        self,
        obj: Mapping[str, Any],
        prefix: str = "",
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        self.obj = obj
        self.prefix = prefix
        self.errors: list[dict[str, Any]] = [] if errors is None else errors

    def fail(self, name: str, value: Any, message: str) -> None:
        """Record that property ``name`` (relative to this object) is bad."""
        shown = None if value is MISSING else value
        self.errors.append({"property": self.prefix + name, "value": shown, "message": message})

    def get(self, name: str) -> Any:
        """The raw value, or MISSING when absent."""
        return self.obj.get(name, MISSING)

    def choice(self, name: str, allowed: Sequence[str], default: str | None = None) -> str | None:
        """One of ``allowed``; ``default`` when absent (None default: required)."""
        value = self.get(name)
        if value is MISSING and default is not None:
            return default
        if value not in allowed:
            what = "is required, one of" if value is MISSING else "must be one of"
            self.fail(name, value, f"{name} {what}: {', '.join(allowed)}")
            return None
        return str(value)

    def boolean(self, name: str, default: bool) -> bool:
        """A JSON boolean (not the strings ``"true"``/``"false"``); ``default`` if absent."""
        value = self.get(name)
        if value is MISSING:
            return default
        if not isinstance(value, bool):
            self.fail(name, value, f"{name} must be a boolean (true or false)")
            return default
        return value

    def child(self, name: str) -> BodyReader:
        """A reader for the nested object ``name`` (empty when absent or not an object)."""
        value = self.get(name)
        if value is MISSING or value is None:
            return BodyReader({}, f"{self.prefix}{name}.", self.errors)
        if not isinstance(value, dict):
            self.fail(name, value, f"{name} must be an object")
            value = {}
        return BodyReader(value, f"{self.prefix}{name}.", self.errors)

    def check(self) -> None:
        """Raise BodyError if any property was bad."""
        if self.errors:
            raise BodyError(self.errors)
