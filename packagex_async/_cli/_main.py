"""``main``: parse, run one command in its own event loop, turn failures into exit codes.

Expected failures (the API said no, a bad option value, no key...) become one line
on stderr and a documented exit code; Ctrl-C and a closed output pipe end quietly.
Anything else is a bug in the CLI or SDK and keeps its traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from typing import TextIO

from ._completion import enable as enable_completion
from ._exits import EXPECTED_ERRORS, FAILURE, INTERRUPTED, OK, PIPE_CLOSED, exit_code, one_line
from ._parser import build_parser
from ._streams import Streams

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the return value is the process exit code."""
    io = Streams(sys.stdout, sys.stderr)
    args: argparse.Namespace | None = None
    try:
        parser = build_parser()
        enable_completion(parser)
        args = parser.parse_args(argv)
        io = Streams(sys.stdout, sys.stderr, quiet=args.quiet)
        with logged_requests(args.verbose, io.err):
            code: int = asyncio.run(args.run(args, io))
    except SystemExit as stop:  # argparse: --help, --version and usage errors (2)
        return _exit_status(stop)
    except KeyboardInterrupt:
        _say(io, "packagex: interrupted")
        return INTERRUPTED
    except BrokenPipeError:  # e.g. `packagex batches list --all --format jsonl | head`
        _discard_stdout()
        return PIPE_CLOSED
    except EXPECTED_ERRORS as error:
        _say(io, f"packagex: error: {one_line(error, args)}")
        return exit_code(error)
    return code


@contextlib.contextmanager
def logged_requests(verbosity: int, err: TextIO) -> Iterator[None]:
    """``-v``: the SDK's request lines on stderr; ``-vv``: its retries too; always its
    warnings (shared pacing that lost its Redis).

    The lines are the SDK's own log records, already redacted by its pipeline.
    """
    handler = logging.StreamHandler(err)
    handler.setFormatter(_Format())
    if verbosity <= 0:
        handler.setLevel(logging.WARNING)
    elif verbosity == 1:
        handler.addFilter(lambda record: record.levelno in (logging.DEBUG, logging.WARNING))
    logger = logging.getLogger("packagex_async")
    level = logger.level
    logger.addHandler(handler)
    if verbosity > 0:
        logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


class _Format(logging.Formatter):
    """``packagex: MESSAGE``, and ``packagex: warning: MESSAGE`` for a warning."""

    def format(self, record: logging.LogRecord) -> str:
        warning = "warning: " if record.levelno >= logging.WARNING else ""
        return f"packagex: {warning}{record.getMessage()}"


def _exit_status(stop: SystemExit) -> int:
    if stop.code is None:
        return OK
    return stop.code if isinstance(stop.code, int) else FAILURE


def _say(io: Streams, line: str) -> None:
    try:
        io.err.write(line + "\n")
        io.err.flush()
    except (OSError, ValueError):  # stderr gone too: the exit code still tells
        pass


def _discard_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush does not fail again."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # captured or replaced: nothing to do
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)
