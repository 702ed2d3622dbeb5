"""Iterate every batch of a fake through the SDK without keeping them; report peak RSS.

Run by ``memory.py`` once per measurement, in a fresh process, because
``ru_maxrss`` is a high-water mark: it never goes down, so two measurements in one
process would hide each other. Prints one JSON line: items seen, peak RSS (KiB)
before the loop and after it.

Why two processes: on Linux a child started by fork+exec *inherits* the peak RSS
of the process that forked it (the forked copy's high-water mark survives
``execve``), so a child of the benchmark runner, which holds 20,000-item lists
from scenario 1, would start with a peak of ~190 MiB and hide any growth below
it. Without ``--measure`` this script is only a small launcher that starts itself
again with ``--measure``; the grandchild's peak starts from the launcher's, a
bare interpreter's.

    python benchmarks/rss_child.py --url http://127.0.0.1:PORT --api-key KEY --limit 100
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys

MEASURE_TIMEOUT = 300.0


def peak_rss_kib() -> int:
    """This process's peak resident set size so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


async def iterate(url: str, api_key: str, limit: int) -> dict[str, int]:
    """Walk the whole list, counting items and dropping each one at once."""
    from packagex_async import PackageX  # here, so the launcher stays a bare interpreter

    async with PackageX(api_key, base_url=url) as px:
        baseline = peak_rss_kib()
        items = 0
        async for _batch in px.batches.list(limit=limit):
            items += 1
        return {"items": items, "baseline_kib": baseline, "peak_kib": peak_rss_kib()}


def launch_measurement(argv: list[str]) -> int:
    """Run this script again with ``--measure`` and pass its output through."""
    command = [sys.executable, __file__, "--measure", *argv]
    done = subprocess.run(command, capture_output=True, text=True, timeout=MEASURE_TIMEOUT)
    sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr)
    return done.returncode


def main() -> int:
    """Parse the fake's address; launch the measuring process, or be it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--measure", action="store_true", help="measure in this process")
    args = parser.parse_args()
    if not args.measure:
        return launch_measurement(sys.argv[1:])
    print(json.dumps(asyncio.run(iterate(args.url, args.api_key, args.limit))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
