"""A real ``redis-server`` for the tests: its own process, a free loopback port, a temp dir.

Started from the binary (Debian's ``redis-server`` package), never as a system service,
with persistence off, so a restart comes back empty as after a crash. Tests that need
it fail when the binary is missing and ``CI`` is set (CI must install it), and are
skipped with the reason otherwise.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

__all__ = ["RedisServer", "free_port", "redis_binary"]


def redis_binary() -> str:
    """The ``redis-server`` path; fail (CI) or skip (elsewhere) without it or redis-py."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    problem = None
    if not os.access(binary, os.X_OK):
        problem = "redis-server is not installed (apt-get install redis-server)"
    else:
        try:
            import redis.asyncio  # noqa: F401
        except ImportError:
            problem = "redis-py is not installed (pip install -e '.[redis]')"
    if problem is not None:
        if os.environ.get("CI"):
            pytest.fail(f"{problem}; CI must provide it for the shared pacing tests")
        pytest.skip(f"{problem}: the shared pacing tests need a real Redis")
    return binary


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


class RedisServer:
    """One ``redis-server`` process that ``start``/``stop`` can restart on the same port."""

    def __init__(self, binary: str, directory: Path, *, password: str | None = None) -> None:
        self.binary, self.directory, self.password = binary, directory, password
        self.port = free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start the server and return once it accepts connections (at most 10 s)."""
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        args += ["--save", "", "--appendonly", "no", "--dir", str(self.directory)]
        args += ["--logfile", str(self.directory / "redis.log")]
        if self.password:
            args += ["--requirepass", self.password]
        self._process = subprocess.Popen(args, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                if self._process.poll() is not None or time.monotonic() > deadline:
                    log = (self.directory / "redis.log").read_text(errors="replace")
                    self.stop()
                    raise RuntimeError(f"redis-server did not start:\n{log[-2000:]}") from None
                time.sleep(0.02)

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 5 s) and reap it."""
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
