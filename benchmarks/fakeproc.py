"""Start ``fake_server.py`` as a subprocess and always stop it again.

One fake per scenario configuration, reused across that scenario's runs: seeding
100,000 batches takes seconds, and the server's own warm-up should not be timed.
The child runs in its own session so a Ctrl-C in the terminal reaches only this
process, which then stops the child itself (closing its stdin, then SIGTERM, then
SIGKILL); if this process dies outright, the child sees stdin EOF and exits.

``separate_cpus=True`` (Linux, 2 CPUs or more) runs the fake on one CPU and the
calling thread on the others for the duration of the ``with`` block. A real API
runs on other machines; unpinned, on a 2-core machine with anything else running,
the fake and the client often take turns on one core: the fake's timers fire late
in bunches (its loop stalled 3-6 ms at a time with under 1.5 ms of its own CPU
spent) and the client's work waits for the fake's. A scenario whose figure is the
overlap of many requests (concurrency) uses it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import select
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

SERVER_SCRIPT = Path(__file__).with_name("fake_server.py")
START_TIMEOUT = 60.0  # seeding 100,000 batches takes a few seconds on a slow machine
STOP_TIMEOUT = 5.0


@dataclasses.dataclass(frozen=True)
class FakeEndpoint:
    """Where a running fake listens and the key it accepts."""

    url: str
    api_key: str


def _command(batches: int, seed: int, latency: Mapping[str, float]) -> list[str]:
    command = [sys.executable, str(SERVER_SCRIPT), "--batches", str(batches), "--seed", str(seed)]
    for route, seconds in latency.items():
        command += ["--latency", f"{route}={seconds}"]
    return command


def read_announcement(process: subprocess.Popen[bytes], name: str) -> dict[str, Any]:
    """The child's first stdout line as JSON, within ``START_TIMEOUT`` seconds."""
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], START_TIMEOUT)
    line = process.stdout.readline() if ready else b""
    if not line:
        raise RuntimeError(f"{name} did not start (exit code {process.poll()})")
    announced: dict[str, Any] = json.loads(line)
    return announced


def stop_child(process: subprocess.Popen[bytes]) -> None:
    """Ask nicely (stdin EOF), then SIGTERM, then SIGKILL; always reap the child."""
    with contextlib.suppress(OSError):
        if process.stdin is not None:
            process.stdin.close()
    for escalate in (None, process.terminate, process.kill):
        if escalate is not None:
            with contextlib.suppress(ProcessLookupError):
                escalate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            continue
        break
    if process.stdout is not None:
        process.stdout.close()


@contextlib.contextmanager
def cpus_apart(pid: int) -> Iterator[None]:
    """Pin process ``pid`` to one CPU and this thread to the others, then undo the latter.

    Does nothing where affinity cannot be set or fewer than 2 CPUs are allowed.
    """
    allowed = os.sched_getaffinity(0) if hasattr(os, "sched_setaffinity") else set()
    if len(allowed) < 2:
        yield
        return
    fake_cpu = max(allowed)
    os.sched_setaffinity(pid, {fake_cpu})
    os.sched_setaffinity(0, allowed - {fake_cpu})
    try:
        yield
    finally:
        os.sched_setaffinity(0, allowed)


@contextlib.contextmanager
def running_fake(
    batches: int,
    *,
    seed: int = 1,
    latency: Mapping[str, float] | None = None,
    separate_cpus: bool = False,
) -> Iterator[FakeEndpoint]:
    """A FakePackageX in a separate process for the duration of the ``with`` block.

    ``separate_cpus``: the fake and the calling thread never share a CPU (see above).
    """
    process = subprocess.Popen(
        _command(batches, seed, latency or {}),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        with cpus_apart(process.pid) if separate_cpus else contextlib.nullcontext():
            announced = read_announcement(process, "the fake server")
            yield FakeEndpoint(url=announced["url"], api_key=announced["api_key"])
    finally:
        stop_child(process)
