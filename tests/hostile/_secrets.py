"""The secrets of the hostile tests, and the one check that none of them leaked.

``assert_no_secret`` looks everywhere a secret could surface once an error leaves the
SDK: the exception and every exception reachable from it (``__cause__``,
``__context__``, exception groups), their str/repr/args/notes, ``request_info`` and
public attributes, the formatted traceback, and the log records captured at DEBUG.
"""

from __future__ import annotations

import functools
import logging
import traceback
from collections.abc import Callable, Iterable, Iterator

__all__ = [
    "CREDENTIAL",
    "KEY",
    "QUERY",
    "SECRETS",
    "SIGNATURE",
    "assert_no_secret",
    "exception_chain",
]

KEY = "pxk_SECRETKEY_4f9a1c"
CREDENTIAL = "CREDSECRET77"
SIGNATURE = "SIGSECRET8812"
QUERY = f"X-Amz-Credential={CREDENTIAL}&X-Amz-Signature={SIGNATURE}&X-Amz-Expires=300"
SECRETS = (KEY, CREDENTIAL, SIGNATURE, QUERY)


def exception_chain(exc: BaseException | None) -> Iterator[BaseException]:
    """``exc`` and every exception reachable from it, each once."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        stack += [current.__cause__, current.__context__]
        grouped = getattr(current, "exceptions", None)
        if isinstance(grouped, tuple):
            stack += [e for e in grouped if isinstance(e, BaseException)]


def _safe(render: Callable[[], str]) -> str:
    try:
        return render()
    except Exception as exc:  # a broken __str__ is itself worth seeing
        return f"<unrenderable: {type(exc).__name__}>"


def _exception_texts(exc: BaseException) -> Iterator[tuple[str, str]]:
    name = type(exc).__name__
    yield f"str({name})", _safe(lambda: str(exc))
    yield f"repr({name})", _safe(lambda: repr(exc))
    yield f"{name}.args", _safe(lambda: repr(exc.args))
    for arg in exc.args:
        yield f"{name}.args item", _safe(functools.partial(str, arg))
    for note in getattr(exc, "__notes__", None) or ():
        yield f"{name}.__notes__", _safe(functools.partial(str, note))
    if hasattr(exc, "request_info"):
        yield f"{name}.request_info", _safe(lambda: repr(exc.request_info))
    for attribute, value in vars(exc).items():
        if not attribute.startswith("_"):
            yield f"{name}.{attribute}", _safe(functools.partial(repr, value))


def _record_texts(record: logging.LogRecord) -> Iterator[tuple[str, str]]:
    where = f"log record {record.name}:{record.levelname}"
    yield where, _safe(record.getMessage)
    if record.exc_info and record.exc_info[0] is not None:
        formatted = logging.Formatter().formatException(record.exc_info)
        yield f"{where} exc_info", formatted
    if record.exc_text:
        yield f"{where} exc_text", record.exc_text
    if record.stack_info:
        yield f"{where} stack_info", record.stack_info


def _places(
    exc: BaseException | None, records: Iterable[logging.LogRecord]
) -> Iterator[tuple[str, str]]:
    for current in exception_chain(exc):
        yield from _exception_texts(current)
    if exc is not None:
        yield "traceback", "".join(traceback.format_exception(exc))
    for record in records:
        yield from _record_texts(record)


def assert_no_secret(
    exc: BaseException | None, records: Iterable[logging.LogRecord], secrets: Iterable[str]
) -> None:
    """Fail, saying where, if any secret appears in ``exc`` (and its chain) or in ``records``."""
    wanted = [secret for secret in secrets if secret]
    leaks = []
    for where, text in _places(exc, records):
        for secret in wanted:
            at = text.find(secret)
            if at >= 0:
                excerpt = text[max(0, at - 80) : at + len(secret) + 40]
                leaks.append(f"{secret!r} in {where}: ...{excerpt}...")
    assert not leaks, "secret leaked:\n" + "\n".join(leaks)
