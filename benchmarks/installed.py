"""Scenario 8: listing and retrieve on the install a user gets (issue 24's targets).

A fresh venv gets the README's first install command (``pip install -e .``, whatever
it pulls in: msgspec is a dependency), and ``installed_child.py`` runs there,
timing the SDK against raw aiohttp + orjson: 20,000 batches listed at limit 100
against the fake (client CPU within 1.20x), and 5,000 retrieves with 100 in flight
against the canned upstream (within 1.15x). The servers run in this process's
interpreter, in processes of their own; only the clients live in the new venv.
Creating the venv takes a minute or so (pip reads the configured index).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

from children import running_child
from fakeproc import cpus_apart, running_fake
from report import Outcome, Table, Target, ratio, seconds

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
README_INSTALL = ["-m", "pip", "install", "--quiet", "-e", "."]
"""The README's first install command, ``pip install -e .``, run from the checkout."""
BATCHES = 20_000
MAX_LISTING_CPU = 1.20
MAX_RETRIEVE_CPU = 1.15
UPSTREAM_KEY = "px_bench_key_0123456789"  # the canned upstream answers whatever key it gets
UPSTREAM_KEY = "px_bench_key_0123456789"  # the canned upstream answers whatever key it gets


def _installed_python(directory: Path) -> Path:
    """A new venv at ``directory`` with the SDK as the README installs it."""
    venv.create(directory, with_pip=True)
    python = directory / "bin" / "python"
    subprocess.run([str(python), *README_INSTALL], cwd=ROOT, check=True)
    return python


def _child(python: Path, *args: str) -> dict[str, dict[str, float]]:
    done = subprocess.run(
        [str(python), str(HERE / "installed_child.py"), *args],
        cwd=HERE,
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, dict[str, float]] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _measure(python: Path, repetitions: int) -> dict[str, dict[str, dict[str, float]]]:
    reps = ["--repetitions", str(repetitions)]
    with running_fake(BATCHES) as fake:
        where = ["--url", fake.url, "--key", fake.api_key]
        listing = _child(python, "--what", "listing", *where, *reps)
    upstream_process = running_child("web_upstream.py", "--batches", "1000")
    with upstream_process as upstream, cpus_apart(upstream.pid):
        where = ["--url", upstream.url, "--key", UPSTREAM_KEY]
        ids = ["--ids", ",".join(upstream.announced["ids"])]
        retrieves = _child(python, "--what", "retrieves", *where, *ids, *reps)
    return {"listing": listing, "retrieves": retrieves}


def run(repetitions: int) -> Outcome:
    """Install into a fresh venv, time both scenarios there, report the two targets."""
    with tempfile.TemporaryDirectory(prefix="packagex-installed-") as directory:
        python = _installed_python(Path(directory))
        results = _measure(python, repetitions)
    rows = []
    for what, by_stack in results.items():
        raw_cpu = by_stack["raw"]["cpu"]
        for stack, median in by_stack.items():
            name = "packagex_async" if stack == "sdk" else "raw aiohttp+orjson"
            cpu = median["cpu"]
            rows.append((what, name, seconds(median["wall"]), seconds(cpu), ratio(cpu / raw_cpu)))
    table = Table(
        title="(8) on the README's first install (pip install -e .), medians, s",
        headers=("scenario", "stack", "wall", "cpu", "cpu/raw"),
        rows=tuple(rows),
        notes=(f"{repetitions} runs per stack, in a fresh venv; Python {sys.version.split()[0]}",),
    )
    return Outcome((table,), (_target(results, "listing"), _target(results, "retrieves")))


def _target(results: dict[str, dict[str, dict[str, float]]], what: str) -> Target:
    sdk, raw = results[what]["sdk"]["cpu"], results[what]["raw"]["cpu"]
    limit = MAX_LISTING_CPU if what == "listing" else MAX_RETRIEVE_CPU
    goal = "listing at limit 100" if what == "listing" else "retrieve, 100 in flight"
    return Target(
        "8",
        f"README install: {goal}, SDK client CPU <= {limit:g}x raw aiohttp+orjson",
        f"{ratio(sdk / raw)} ({seconds(sdk)} s vs {seconds(raw)} s)",
        sdk / raw <= limit,
    )
