"""Argument checks that run before any request, and the query values they produce.

A typo such as ``status="complete"`` would otherwise reach the API and come back as
an unhelpful 400 (or, worse, be ignored and list everything). Each check names the
parameter, what was given and what is allowed, and returns the exact string sent.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

__all__ = [
    "check_callback",
    "check_flag",
    "check_path",
    "check_positive_int",
    "check_str",
    "check_text",
    "enum_value",
    "enum_values",
    "id_list",
    "id_segment",
]


def id_segment(name: str, value: Any) -> str:
    """``value`` as exactly one percent-encoded path segment (``a/b`` stays one)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string id, got {type(value).__name__}: {value!r}")
    check_text(name, value)
    if not value.strip():
        raise ValueError(f"{name} must be a non-empty id, got {value!r}")
    if value in (".", ".."):
        raise ValueError(f"{name} {value!r} is not an id (it would change the URL path)")
    return quote(value, safe="")


def id_list(name: str, value: Any) -> list[str]:
    """A collection of ids (not a single string), each checked as ``id_segment`` does."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError(f"{name} must be a list of string ids, got {value!r}")
    ids = list(value)
    for item in ids:
        id_segment(name, item)
    return ids


def enum_value(
    name: str, value: Any, enum_cls: type[enum.Enum], allowed: Iterable[str] | None = None
) -> str:
    """The wire string of ``value``, an ``enum_cls`` member or its string value.

    ``allowed`` narrows the enum when an endpoint accepts only some of its values
    (the batch list's ``mode`` filter takes sync and mixed, not async).
    """
    choices = list(allowed) if allowed is not None else [str(m.value) for m in enum_cls]
    if isinstance(value, enum.Enum) and not isinstance(value, enum_cls):
        raise TypeError(
            f"{name} takes {enum_cls.__name__} members or one of {_quoted(choices)}, got {value!r}"
        )
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {_quoted(choices)}, got {value!r}")
    check_text(name, value)
    text = str(value.value) if isinstance(value, enum.Enum) else value
    if text not in choices:
        raise ValueError(f"{name} must be one of {_quoted(choices)}, got {value!r}")
    return text


def enum_values(name: str, value: Any, enum_cls: type[enum.Enum]) -> str:
    """One value or a collection of them, checked, de-duplicated, comma-separated."""
    if isinstance(value, (str, enum.Enum)):
        items = [value]
    elif isinstance(value, Iterable) and not isinstance(value, (bytes, Mapping)):
        items = list(value)
    else:
        raise TypeError(f"{name} must be a value or a list of values, got {value!r}")
    texts = [enum_value(name, item, enum_cls) for item in items]
    if not texts:
        raise ValueError(f"{name} must name at least one value; pass None for no filter")
    return ",".join(dict.fromkeys(texts))


def check_positive_int(name: str, value: Any) -> int:
    """An integer >= 1 (``bool`` is refused though it is an ``int``)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer >= 1, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return value


def check_flag(name: str, value: Any) -> bool:
    """A real ``bool``: ``"false"`` is truthy, so strings and ints are refused."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return value


def check_str(name: str, value: Any) -> str:
    """A free-text parameter such as ``search``."""
    return check_text(name, value)


def check_text(name: str, value: Any) -> str:
    """A string that can be sent as UTF-8: a lone surrogate would be altered or fail."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(
                f"{name} contains a lone surrogate (not valid Unicode text), which cannot be sent"
            ) from None
    return value


def check_callback(name: str, value: Any) -> None:
    """``None`` or something callable (checked now, not when it is first called)."""
    if value is not None and not callable(value):
        raise TypeError(f"{name} must be a callable or None, got {type(value).__name__}")


def check_path(name: str, value: Any) -> Path:
    """A file path to write: a str or ``os.PathLike``, not empty, in a directory that exists."""
    if isinstance(value, bytes) or not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a str or os.PathLike file path, got {value!r}")
    if not os.fspath(value):
        raise ValueError(f"{name} must be a file path, got an empty string")
    path = Path(value)
    if path.is_dir():
        raise ValueError(f"{name} {str(path)!r} is a directory; give a file path in it")
    if not path.parent.is_dir():
        raise ValueError(f"{name} {str(path)!r}: the directory {str(path.parent)!r} does not exist")
    return path


def _quoted(choices: list[str]) -> str:
    return ", ".join(repr(c) for c in choices)
