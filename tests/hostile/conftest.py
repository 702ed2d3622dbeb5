"""Fixtures of the hostile suite: DEBUG log capture and the loop's exception reports.

Every async test here runs twice: on the interpreter's default ``Task`` and on the
pure-Python one (``asyncio.tasks._PyTask``, which is what pytest-asyncio runs on 3.10
and what some embedders use). The two differ in which exception is being handled
when a coroutine resumes, which decides what a raised error gets as ``__context__``:
the secret checks must hold on both.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest


def _python_task_loop() -> asyncio.AbstractEventLoop:
    """A new loop whose tasks are pure-Python ``Task`` objects."""
    loop = asyncio.new_event_loop()
    python_task: Any = asyncio.tasks._PyTask  # type: ignore[attr-defined]
    loop.set_task_factory(lambda loop, coro, **kwargs: python_task(coro, loop=loop, **kwargs))
    return loop


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> dict[str, Callable[[], asyncio.AbstractEventLoop]]:
    return {"default_task": asyncio.new_event_loop, "python_task": _python_task_loop}


CAPTURED_LOGGERS = ("packagex_async", "aiohttp", "asyncio", "")
"""Captured at DEBUG; "" is the root logger."""


class _Keep(logging.Handler):
    """Keeps every record once, though it is attached to a logger and to its ancestors."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self._seen: set[int] = set()

    def emit(self, record: logging.LogRecord) -> None:
        if id(record) not in self._seen:
            self._seen.add(id(record))
            self.records.append(record)


@pytest.fixture
def records() -> Iterator[list[logging.LogRecord]]:
    """Every record logged at DEBUG or above by the SDK, aiohttp, asyncio or the root logger."""
    keep = _Keep()
    loggers = [logging.getLogger(name or None) for name in CAPTURED_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.addHandler(keep)
    try:
        yield keep.records
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(keep)
            logger.setLevel(level)


@pytest.fixture
async def loop_reports() -> AsyncIterator[list[dict[str, Any]]]:
    """What the running loop reports to its exception handler (never-retrieved errors...)."""
    loop = asyncio.get_running_loop()
    reports: list[dict[str, Any]] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _, context: reports.append(context))
    try:
        yield reports
    finally:
        loop.set_exception_handler(previous)
