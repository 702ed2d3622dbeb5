"""How long a person waits for ``packagex --help`` and for one TAB of completion.

Each TAB runs the whole program, so its start-up is the latency of completion. Both
are timed as whole processes against ``python -c pass`` (the interpreter's own start,
which no CLI can beat), interleaved so that load on the machine hits all three alike,
and printed as medians with min and max, and as ratios to ``python -c pass``.

    python benchmarks/cli_start.py [--runs 21]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

MAIN = "import sys; from packagex_async._cli import main; sys.exit(main())"
LINE = "packagex exports list --resource fu"
TAB_ENV = {
    "_ARGCOMPLETE": "1",
    "_ARGCOMPLETE_IFS": "\n",
    "COMP_LINE": LINE,
    "COMP_POINT": str(len(LINE)),
}

COMMANDS: dict[str, tuple[list[str], dict[str, str]]] = {
    "python -c pass": ([sys.executable, "-c", "pass"], {}),
    "packagex --help": ([sys.executable, "-c", MAIN, "--help"], {}),
    f"TAB: {LINE}": ([sys.executable, "-c", MAIN], TAB_ENV),
}


def once(argv: list[str], extra_env: dict[str, str]) -> float:
    env = {**os.environ, **extra_env}
    started = time.perf_counter()
    # argcomplete answers on descriptor 8: give it one (``pass_fds`` keeps it open).
    read_end, write_end = os.pipe()
    os.dup2(write_end, 8)
    try:
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, pass_fds=(8,), check=True)
    finally:
        os.close(8)
        os.close(read_end)
        os.close(write_end)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(runs):
        for name, (argv, env) in COMMANDS.items():
            times[name].append(once(argv, env))
    base = statistics.median(times["python -c pass"])
    print(f"{'command':<45} {'median':>8} {'min':>8} {'max':>8} {'vs pass':>8}")
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"{name:<45} {median * 1000:7.1f}ms {min(values) * 1000:7.1f}ms "
            f"{max(values) * 1000:7.1f}ms {median / base:7.2f}x"
        )


if __name__ == "__main__":
    main()
