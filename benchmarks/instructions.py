"""Scenario 7 counted in instructions: what each web app executes per request.

    python benchmarks/instructions.py               # both apps, about 40 s
    python benchmarks/instructions.py --seconds 20  # more requests per count

Why: on a shared 2-core VM, req/s and CPU time per request move by 15% or more
from run to run, as much as the difference scenario 7 looks for. An instruction
count is repeatable: ``valgrind --tool=callgrind`` counts the instructions a
process executes, whatever else the machine is doing.

How: the same four processes as ``web.py`` (canned upstream, the two apps, wrk),
each app under callgrind. After a warm-up of wrk load, the app's counters are set
to zero (``callgrind_control --zero``), wrk sends ``CONNECTIONS`` connections of
load for ``--seconds``, and the counters are dumped. Instructions per request are
the dump's total over the requests wrk counted: the app's whole work, the aiohttp
server, the garbage collector and the event loop included. The two apps run at
the same time, each with its own wrk; under valgrind a request costs ~50 times
as long, so fewer are served, but each costs the same instructions.

Why 10 connections, not scenario 7's 100: under valgrind a request takes ~50 times
as long, and with 100 connections waiting the collector runs at other moments from
one count to the next; the ratio then moved between 1.08x and 1.15x. With 10 it
repeats within about 0.01x, but the collector's share is smaller than at 100
connections, where more objects are alive in flight at each collection.

What it does not see: time spent waiting for memory. The collector's passes walk
the objects of the process, and code spread over more modules misses the caches
more often; an instruction count leaves both out, so a CPU-time ratio can be worse
than the instruction ratio. This is a diagnostic, not a target: ``run.py``'s
scenario 7 keeps the targets.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import fakeproc
from children import running_child
from web import _wrk_script as wrk_script

HERE = Path(__file__).parent
CONNECTIONS = 10
WARMUP_SECONDS = 3
VALGRIND_START_TIMEOUT = 300.0  # the app starts ~50x slower under valgrind


def _instructions(dump: Path) -> int:
    """The ``summary:`` line of a callgrind dump: instructions counted (the Ir event)."""
    for line in dump.read_text().splitlines():
        if line.startswith("summary:"):
            return int(line.split()[1])
    raise RuntimeError(f"no summary in {dump}")


def _wrk(url: str, script: Path, seconds: int) -> int:
    """Requests wrk completed in ``seconds`` of load on ``CONNECTIONS`` connections."""
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "60s",
               "-s", str(script), url]  # fmt: skip
    done = subprocess.run(command, capture_output=True, check=True, text=True, timeout=600)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    if figures["failed"]:
        raise RuntimeError(f"load run failed: {figures}")
    return int(figures["requests"])


def count(kind: str, upstream: str, script: Path, seconds: int, workdir: Path) -> float:
    """Instructions per request of one app (``sdk`` or ``raw``) under callgrind."""
    out = workdir / f"{kind}.callgrind"
    command = [
        "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
        sys.executable, str(HERE / "web_app.py"), kind, "--upstream", upstream,
    ]  # fmt: skip
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    try:
        url = fakeproc.read_announcement(process, f"{kind} app under valgrind")["url"]
        _wrk(url, script, WARMUP_SECONDS)
        subprocess.run(["callgrind_control", "--zero", str(process.pid)], check=True,
                       capture_output=True)  # fmt: skip
        requests = _wrk(url, script, seconds)
        subprocess.run(["callgrind_control", "--dump", str(process.pid)], check=True,
                       capture_output=True)  # fmt: skip
    finally:
        fakeproc.stop_child(process)
    [dump] = sorted(workdir.glob(f"{kind}.callgrind.*"))  # the dump; the bare file is exit's
    return _instructions(dump) / requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="load per count (default 10)")
    args = parser.parse_args()
    for tool in ("valgrind", "callgrind_control", "wrk"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed; this script needs valgrind and wrk")
    fakeproc.START_TIMEOUT = VALGRIND_START_TIMEOUT
    fakeproc.STOP_TIMEOUT = VALGRIND_START_TIMEOUT
    with contextlib.ExitStack() as stack:
        upstream = stack.enter_context(running_child("web_upstream.py", "--batches", "100"))
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        script = wrk_script(stack, upstream.announced["ids"])
        assert script is not None  # wrk was found above
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            sdk, raw = pool.map(
                lambda kind: count(kind, upstream.url, script, args.seconds, workdir),
                ("sdk", "raw"),
            )
    print(f"(7) instructions per request under callgrind, {CONNECTIONS} connections")
    print(f"SDK example app      {sdk:>10,.0f}")
    print(f"raw aiohttp handler  {raw:>10,.0f}")
    print(f"SDK / raw: {sdk / raw:.3f}x")


if __name__ == "__main__":
    main()
