"""Progress bars on stderr, only for a person watching a terminal.

tqdm is an optional extra (``pip install packagex_async[cli]``): without it, or when
stderr is not a terminal (a pipe, a log file, CI), every bar is a no-op, so output
that programs read stays clean.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from typing import Any, TextIO

__all__ = ["Bar", "is_terminal", "progress_bar"]


class Bar:
    """A progress bar that does nothing; ``_TqdmBar`` draws one."""

    def advance(self, count: int) -> None:
        """``count`` more units done."""

    def move_to(self, done: int, total: int | None) -> None:
        """Absolute position (downloads restart from 0 when a transfer is retried)."""

    @contextlib.contextmanager
    def cleared(self) -> Iterator[None]:
        """Hide the bar while writing to the same terminal, so lines do not interleave."""
        yield

    def close(self) -> None:
        """Remove the bar."""


class _TqdmBar(Bar):
    def __init__(self, bar: Any) -> None:
        self._bar = bar

    def advance(self, count: int) -> None:
        self._bar.update(count)

    def move_to(self, done: int, total: int | None) -> None:
        if total is not None and total != self._bar.total:
            self._bar.total = total
        self._bar.update(done - self._bar.n)

    @contextlib.contextmanager
    def cleared(self) -> Iterator[None]:
        self._bar.clear()
        try:
            yield
        finally:
            self._bar.refresh()

    def close(self) -> None:
        self._bar.close()


def is_terminal(stream: TextIO) -> bool:
    """Whether a person is (probably) looking at ``stream``."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or already closed
        return False


def progress_bar(
    stream: TextIO, *, total: int | None, unit: str, description: str | None = None
) -> Bar:
    """A bar on ``stream`` if it is a terminal and tqdm is installed, else a no-op."""
    tqdm = _tqdm_class() if is_terminal(stream) else None
    if tqdm is None:
        return Bar()
    in_bytes = unit == "B"
    return _TqdmBar(
        tqdm(
            total=total,
            unit=unit,
            unit_scale=in_bytes,
            unit_divisor=1024 if in_bytes else 1000,
            desc=description,
            file=stream,
            leave=False,
            dynamic_ncols=True,
        )
    )


def _tqdm_class() -> Any:
    """``tqdm.tqdm``, or None when the optional extra is not installed."""
    try:
        return importlib.import_module("tqdm").tqdm
    except ImportError:
        return None
