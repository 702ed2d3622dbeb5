"""argparse types for option values, so a bad value is reported under its option's name.

``argument --request-timeout: must be a number of seconds > 0, got '0'`` says what to
fix in the CLI's terms; letting the SDK refuse it would name its parameter
(``timeout``) instead.
"""

from __future__ import annotations

import argparse
import difflib
import math
from collections.abc import Callable

from .._settings import DEFAULT_MAX_POLL_INTERVAL, DEFAULT_POLL_INTERVAL

__all__ = ["add_poll_interval", "comma_choices", "count", "object_id", "seconds"]


def seconds(text: str) -> float:
    """A finite number of seconds > 0."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a number of seconds > 0, got {text!r}")
    return value


def count(text: str) -> int:
    """A whole number >= 1."""
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, got {text!r}")
    return int(text)


def object_id(text: str) -> str:
    """A batch or export id: not empty, not a path trick."""
    if not text.strip() or text in (".", ".."):
        raise argparse.ArgumentTypeError(f"must be a batch or export id, got {text!r}")
    return text


def comma_choices(choices: tuple[str, ...]) -> Callable[[str], list[str]]:
    """Comma-separated values, each one of ``choices`` (with a "did you mean")."""

    def parse(text: str) -> list[str]:
        values = [part.strip() for part in text.split(",") if part.strip()]
        for value in values:
            if value not in choices:
                close = difflib.get_close_matches(value, choices, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise argparse.ArgumentTypeError(
                    f"invalid choice: {value!r} (choose from {', '.join(choices)}){hint}"
                )
        if not values:
            raise argparse.ArgumentTypeError("needs at least one value")
        return values

    return parse


def add_poll_interval(parser: argparse.ArgumentParser) -> None:
    """``--poll-interval``, for ``wait`` and ``create --wait`` alike."""
    parser.add_argument(
        "--poll-interval",
        type=seconds,
        default=DEFAULT_POLL_INTERVAL,
        metavar="SECONDS",
        help=f"first wait between polls, growing to {DEFAULT_MAX_POLL_INTERVAL:g} s "
        f"(default: {DEFAULT_POLL_INTERVAL:g})",
    )
