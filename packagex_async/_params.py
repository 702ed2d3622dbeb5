"""The argument rule, in one place: every check runs before any request.

One rule for every public method: ``PackageXTypeError`` (a ``TypeError``) for a value
of the wrong type, ``PackageXValueError`` (a ``ValueError``) for a wrong value, each
naming the parameter, what was given and what is allowed. Numbers must be finite
unless ``None`` means "no limit". A typo such as ``status="complete"`` would
otherwise reach the API and come back as an unhelpful 400 (or, worse, be ignored
and list everything). Each check returns the exact value to use or send.
"""

from __future__ import annotations

import enum
import functools
import math
import os
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path
from typing import Any, NoReturn, ParamSpec
from urllib.parse import quote

from ._errors import PackageXError, PackageXTypeError, PackageXValueError

__all__ = [
    "QueryValue",
    "check_callback",
    "check_extra_query",
    "check_flag",
    "check_int",
    "check_number",
    "check_path",
    "check_positive_int",
    "check_seconds",
    "check_text",
    "enum_value",
    "enum_values",
    "id_list",
    "id_segment",
    "keeping_no_secret",
    "wrong_type",
    "wrong_value",
]


QueryValue = str | int | float | bool
"""What ``extra_query`` takes: sent as given, booleans as ``true`` / ``false``."""

P = ParamSpec("P")


def keeping_no_secret(init: Callable[P, None]) -> Callable[P, None]:
    """A constructor that takes credentials (``PackageX``'s key and proxy URL,
    ``RedisPacing``'s URL), raising its argument errors without them (and the
    ``ImportError`` that names a missing extra).

    Error trackers record the locals of each frame an error passes through: the
    arguments leave this wrapper's frame before the error does, and the frames below
    it, which hold them too, are cut off with the error's traceback. The exceptions it
    was raised while handling go as well: a URL parser's ``ValueError`` may quote the
    URL. What is left is the message, which names the argument and shows a URL only
    without its credentials.
    """

    @functools.wraps(init)
    def checked(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            init(*args, **kwargs)
        except (PackageXError, ImportError) as error:
            failure = error
        except BaseException:  # an unknown keyword, say: raised here, with this frame
            del args, kwargs
            raise
        else:
            return
        del args, kwargs
        failure.__cause__ = None
        failure.__context__ = None
        raise failure.with_traceback(None)

    return checked


def wrong_type(message: str) -> NoReturn:
    raise PackageXTypeError(message)


def wrong_value(message: str) -> NoReturn:
    raise PackageXValueError(message)


def id_segment(name: str, value: Any) -> str:
    """``value`` as exactly one percent-encoded path segment (``a/b`` stays one)."""
    if type(value) is str and value.isascii() and value.isidentifier():
        return value  # the usual id (``bat_0a1b``): nothing to refuse, nothing to encode
    if not isinstance(value, str):
        wrong_type(f"{name} must be a string id, got {type(value).__name__}: {value!r}")
    check_text(name, value)
    if not value.strip():
        wrong_value(f"{name} must be a non-empty id, got {value!r}")
    if value in (".", ".."):
        wrong_value(f"{name} {value!r} is not an id (it would change the URL path)")
    return quote(value, safe="")


def id_list(name: str, value: Any) -> list[str]:
    """A collection of ids (not a single string), each checked as ``id_segment`` does."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        wrong_type(f"{name} must be a list of string ids, got {value!r}")
    ids = list(value)
    for item in ids:
        id_segment(name, item)
    return ids


def enum_value(
    name: str, value: Any, enum_cls: type[enum.Enum], allowed: Iterable[str] | None = None
) -> str:
    """The wire string of ``value``, an ``enum_cls`` member or its string value.

    ``allowed`` narrows the enum when an endpoint accepts only some of its values.
    """
    choices = list(allowed) if allowed is not None else [str(m.value) for m in enum_cls]
    if isinstance(value, enum.Enum) and not isinstance(value, enum_cls):
        wrong_type(
            f"{name} takes {enum_cls.__name__} members or one of {_quoted(choices)}, got {value!r}"
        )
    if not isinstance(value, str):
        wrong_type(f"{name} must be one of {_quoted(choices)}, got {value!r}")
    check_text(name, value)
    text = str(value.value) if isinstance(value, enum.Enum) else value
    if text not in choices:
        wrong_value(f"{name} must be one of {_quoted(choices)}, got {value!r}")
    return text


def enum_values(name: str, value: Any, enum_cls: type[enum.Enum]) -> str:
    """One value or a collection of them, checked, de-duplicated, comma-separated."""
    if isinstance(value, (str, enum.Enum)):
        items = [value]
    elif isinstance(value, Iterable) and not isinstance(value, (bytes, Mapping)):
        items = list(value)
    else:
        wrong_type(f"{name} must be a value or a list of values, got {value!r}")
    texts = [enum_value(name, item, enum_cls) for item in items]
    if not texts:
        wrong_value(f"{name} must name at least one value; pass None for no filter")
    return ",".join(dict.fromkeys(texts))


def check_int(name: str, value: Any, *, minimum: int) -> int:
    """An integer >= ``minimum`` (``bool`` is refused though it is an ``int``)."""
    if isinstance(value, bool) or not isinstance(value, int):
        wrong_type(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        wrong_value(f"{name} must be an integer >= {minimum}, got {value!r}")
    return value


def check_positive_int(name: str, value: Any) -> int:
    """An integer >= 1."""
    return check_int(name, value, minimum=1)


def check_seconds(name: str, value: Any, *, allow_zero: bool = False) -> float:
    """A finite number of seconds, > 0 (or >= 0 with ``allow_zero``)."""
    return check_number(name, value, unit="seconds", allow_zero=allow_zero)


def check_number(name: str, value: Any, *, unit: str, allow_zero: bool = False) -> float:
    """A finite number of ``unit``, > 0 (or >= 0 with ``allow_zero``); ``bool`` is refused."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        wrong_type(f"{name} must be a number of {unit}, got {value!r}")
    bound = ">= 0" if allow_zero else "> 0"
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        wrong_value(f"{name} must be a finite number of {unit} {bound}, got {value!r}")
    return float(value)


def check_flag(name: str, value: Any) -> bool:
    """A real ``bool``: ``"false"`` is truthy, so strings and ints are refused."""
    if not isinstance(value, bool):
        wrong_type(f"{name} must be True or False, got {value!r}")
    return value


def check_text(name: str, value: Any) -> str:
    """A string that can be sent as UTF-8: a lone surrogate would be altered or fail."""
    if not isinstance(value, str):
        wrong_type(f"{name} must be a string, got {type(value).__name__}")
    if not value.isascii() and not _encodable(value):
        wrong_value(
            f"{name} contains a lone surrogate (not valid Unicode text), which cannot be sent"
        )
    return value


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_extra_query(value: Any, *, reserved: Collection[str]) -> dict[str, str]:
    """``extra_query``: parameters the SDK does not model, sent as given.

    For documented-but-unmodelled filters (``created_at="gte:2024-01-01"``) and values
    PackageX adds later. It cannot override what the SDK sends itself (``reserved``):
    typed parameters keep their checks, and ``page``/``limit`` steer the paginator.
    """
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        wrong_type(f"extra_query must be a mapping of parameter names to values, got {value!r}")
    query: dict[str, str] = {}
    for key, item in value.items():
        name = check_text("extra_query key", key)
        if name in reserved:
            wrong_value(
                f"extra_query cannot set {name!r}: it is a parameter of its own "
                f"({', '.join(sorted(reserved))}); pass it by name"
            )
        query[name] = _query_value(name, item)
    return query


def _query_value(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            wrong_value(f"extra_query[{name!r}] must be a finite number, got {value!r}")
        return str(value)
    if isinstance(value, str):
        return check_text(f"extra_query[{name!r}]", value)
    wrong_type(f"extra_query[{name!r}] must be a str, int, float or bool, got {value!r}")


def check_callback(name: str, value: Any) -> None:
    """``None`` or something callable (checked now, not when it is first called)."""
    if value is not None and not callable(value):
        wrong_type(f"{name} must be a callable or None, got {type(value).__name__}")


def check_path(name: str, value: Any) -> Path:
    """A file path to write: a str or ``os.PathLike``, not empty, in a directory that exists."""
    if isinstance(value, bytes) or not isinstance(value, (str, os.PathLike)):
        wrong_type(f"{name} must be a str or os.PathLike file path, got {value!r}")
    if not os.fspath(value):
        wrong_value(f"{name} must be a file path, got an empty string")
    path = Path(value)
    if path.is_dir():
        wrong_value(f"{name} {str(path)!r} is a directory; give a file path in it")
    if not path.parent.is_dir():
        wrong_value(f"{name} {str(path)!r}: the directory {str(path.parent)!r} does not exist")
    return path


def _quoted(choices: list[str]) -> str:
    return ", ".join(repr(c) for c in choices)
