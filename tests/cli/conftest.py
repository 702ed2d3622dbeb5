"""Run the CLI in-process against a fake PackageX served from a background thread.

``main()`` calls ``asyncio.run``, so it cannot run inside the test's event loop: the
tests are plain functions, and the fake gets its own loop in a thread. Output is
captured by pytest (``capsys``), which is not a terminal, as in a pipe.
"""

from __future__ import annotations

import asyncio
import io
import sys
import threading
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

import attrs
import pytest

from packagex_async._cli import main
from packagex_async.testing import FakePackageX

T = TypeVar("T")


class FakeThread:
    """A started FakePackageX whose event loop runs in a daemon thread."""

    def __init__(self, **options: Any) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self.fake = FakePackageX(**options)
        self._run(self.fake.start())

    def call(self, function: Callable[[], T]) -> T:
        """Run ``function`` on the fake's loop (the fake is not thread-safe)."""

        async def run() -> T:
            return function()

        return self._run(run())

    def close(self) -> None:
        self._run(self.fake.close())
        self._run(self._loop.shutdown_asyncgens())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=30)


@attrs.frozen
class Result:
    code: int
    out: str
    err: str


class TerminalBuffer(io.StringIO):
    """A captured stream that says it is a terminal, to see what a person would see."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def served() -> Iterator[FakeThread]:
    server = FakeThread(batches=60, exports=30, seed=5)
    yield server
    server.close()


@pytest.fixture
def fake(served: FakeThread) -> FakePackageX:
    return served.fake


@pytest.fixture
def cli(
    fake: FakePackageX, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Result]:
    """``cli("batches", "list", ...)``: main() against the fake, with PX_API_KEY set."""
    monkeypatch.setenv("PX_API_KEY", fake.api_key)

    def run(*argv: str, base_url: bool = True, tty: bool = False) -> Result:
        """``tty=True``: stderr is a terminal, as for a person watching."""
        capsys.readouterr()
        terminal = TerminalBuffer()
        with monkeypatch.context() as patch:
            if tty:
                patch.setattr(sys, "stderr", terminal)
            code = main([*argv, "--base-url", fake.url] if base_url else list(argv))
        captured = capsys.readouterr()
        return Result(code, captured.out, terminal.getvalue() if tty else captured.err)

    return run
