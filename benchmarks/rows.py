"""Scenario 5: rows() of a result file against a whole-body parse of the same file.

What it shows: that streaming rows costs no more than fetching the whole body and
parsing it at once, while holding about one chunk instead of the whole file.

- Time: 200,000 rows (about 45 MB of JSON, 28 MB of CSV) served over loopback by
  ``rows_server.py`` in another process. Whole: ``px.files.read(url)`` then
  ``orjson.loads`` / ``csv.DictReader``. Streamed: the SDK's ``json_rows`` /
  ``csv_rows`` over ``px.files.stream(url)`` (what ``rows()`` runs). Both keep no
  rows (each row is dropped as soon as it is made), medians of interleaved runs.
- Memory: a fresh child (``rows_rss_child.py``) streams the rows of a 200 MB file
  and reports its peak RSS growth; the target is flat memory, under 16 MiB.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
from report import Outcome, Table, Target, ratio, spread
from stats import interleaved

from packagex_async import PackageX
from packagex_async._jobs._rowstream import csv_rows, json_rows

HERE = Path(__file__).parent
ROWS = 200_000
BIG_ROWS = {"json": 900_000, "csv": 1_400_000}  # about 200 MB each
MAX_RATIO = 1.5
MAX_GROWTH_MIB = 16.0


@contextlib.contextmanager
def file_server() -> Iterator[str]:
    """``rows_server.py`` in its own process; stopped when its stdin closes."""
    child = subprocess.Popen(
        [sys.executable, str(HERE / "rows_server.py")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        yield json.loads(child.stdout.readline())["url"]
    finally:
        assert child.stdin is not None
        child.stdin.close()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()


async def _timings(base: str, repetitions: int) -> dict[str, tuple[object, object]]:
    async with PackageX("px_benchmark_key", base_url="http://127.0.0.1:1") as px:
        json_url, csv_url = f"{base}/rows.json?rows={ROWS}", f"{base}/rows.csv?rows={ROWS}"

        async def json_whole() -> None:
            for _ in orjson.loads(await px.files.read(json_url)):
                pass

        async def json_streamed() -> None:
            async for _ in json_rows(px.files.stream(json_url)):
                pass

        async def csv_whole() -> None:
            text = (await px.files.read(csv_url)).decode("utf-8-sig")
            for _ in csv.DictReader(io.StringIO(text, newline="")):
                pass

        async def csv_streamed() -> None:
            async for _ in csv_rows(px.files.stream(csv_url)):
                pass

        runs = {
            "json whole": json_whole,
            "json rows()": json_streamed,
            "csv whole": csv_whole,
            "csv rows()": csv_streamed,
        }
        return await interleaved(runs, repetitions)  # type: ignore[return-value]


def _growth(base: str, kind: str) -> float:
    url = f"{base}/rows.{kind}?rows={BIG_ROWS[kind]}"
    done = subprocess.run(
        [sys.executable, str(HERE / "rows_rss_child.py"), url, kind],
        capture_output=True,
        check=True,
        timeout=600,
        text=True,
    )
    result = json.loads(done.stdout)
    if result["rows"] != BIG_ROWS[kind]:
        raise RuntimeError(f"streamed {result['rows']} {kind} rows, expected {BIG_ROWS[kind]}")
    return float(result["growth_kib"]) / 1024


def run(repetitions: int) -> Outcome:
    import asyncio

    with file_server() as base:
        samples = asyncio.run(_timings(base, repetitions))
        growth = {kind: _growth(base, kind) for kind in ("json", "csv")}
    rows = []
    targets = []
    for kind in ("json", "csv"):
        whole, streamed = samples[f"{kind} whole"][0], samples[f"{kind} rows()"][0]
        factor = streamed.median / whole.median  # type: ignore[attr-defined]
        rows.append((f"{kind} whole", *spread(whole), "1.00x"))  # type: ignore[arg-type]
        rows.append((f"{kind} rows()", *spread(streamed), ratio(factor)))  # type: ignore[arg-type]
        targets.append(
            Target("5", f"{kind} rows() <= {MAX_RATIO}x a whole-body parse", ratio(factor),
                   factor <= MAX_RATIO)
        )  # fmt: skip
        targets.append(
            Target("5", f"{kind} rows() of ~200 MB: RSS growth < {MAX_GROWTH_MIB:g} MiB",
                   f"{growth[kind]:.1f} MiB", growth[kind] < MAX_GROWTH_MIB)
        )  # fmt: skip
    table = Table(
        title=f"(5) {ROWS:,} rows over loopback: whole body vs rows(), seconds",
        headers=("contender", "median", "min", "max", "vs whole"),
        rows=tuple(rows),
        notes=tuple(f"{k}: {BIG_ROWS[k]:,} rows streamed, RSS growth {growth[k]:.1f} MiB"
                    for k in growth),
    )  # fmt: skip
    return Outcome((table,), tuple(targets))
