"""Scenario 7: the aiohttp example app against a raw aiohttp handler, under HTTP load.

What it shows: what a web service pays for using the SDK instead of hand-written
aiohttp calls, end to end, when it proxies ``GET /batches/{id}`` to the API and
answers the batch as JSON. Four processes on 127.0.0.1:

- the **upstream** (``web_upstream.py``): canned answers of a seeded fake
  (``GET /v1/batches/{id}``, 100 batches) from a bare ``asyncio.Protocol``;
- the **two apps** (``web_app.py``), each in its own process, both started before
  the first run: ``examples/aiohttp_app.py``'s ``make_app()`` unchanged (retrieve +
  ``to_dict`` + orjson), and a raw aiohttp handler doing the same proxying with one
  shared ``ClientSession``, ``orjson.loads`` / ``orjson.dumps`` and the same 404;
- the **load generator**, a new process per run: ``wrk`` when it is installed
  (``-t1``, ``CONNECTIONS`` connections, the ids cycled by a Lua script), else
  ``load.py`` (the same closed loop on bare asyncio connections).

Runs alternate between the apps (SDK, raw, SDK, raw, ...) after a warm-up of each;
figures are medians over the runs, with min and max. The ratios are oriented so
that higher is better for the SDK: req/s SDK / raw, and p99 raw / SDK.

Which process is the bottleneck: the app. Each run reads the CPU time of the app
and the upstream from ``/proc``, and the load generator's from ``getrusage``: the
app under test runs at ~100% of a core (``app cpu``), the upstream at ~13%
(``api cpu``, ~20 us per request) and wrk at ~14% (``load.py``: ~30%; a note under
the table), so about 1.3 of the 2 cores are busy and the app is the one saturated.
``FakePackageX`` itself was measured as the upstream first (3 runs per app, quiet
machine): the apps still ran at ~100% of a core, but the fake needed 50-55% of a
core (~110 us per request, five times the canned upstream). On a 2-core machine that
half core competes with the app under test as soon as anything else runs: under a
load average of 2 neither app nor fake reached 100% (app 57-85%, fake 28-40%) and the
figures measured the contention. Hence the canned upstream.

``app us/req`` is the app's CPU time per request (app cpu / req/s): the cost of
each stack, less sensitive than req/s to another process taking CPU time.

With ``CONNECTIONS`` always in flight (a closed loop), latency is mostly queueing
(Little's law: p50 ~ connections / req/s). The tail is the collector's: a full
collection walks every object of the app and stalls all requests in flight, so the
table also shows each app's full collections per run and the longest pause (read
from the ``/_gc`` route ``web_app.py`` adds to both apps), and p99 follows them.
After the timed runs both apps run ``gc.collect(); gc.freeze()`` (``POST /_freeze``)
and as many runs are timed again, the rows marked ``frozen``: the apps as a
latency-sensitive service runs them, for information (the targets are on the
first runs).
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from children import Server, running_child
from report import Outcome, Table, Target, ratio
from stats import Sample

HERE = Path(__file__).parent
BATCHES = 100
CONNECTIONS = 100
SECONDS = 5.0
WARMUP_SECONDS = 3.0
MIN_RATIO = 0.9
SDK = "SDK example app"
RAW = "raw aiohttp handler"
WRK_SCRIPT = """
local ids = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/batches/" .. ids[(n %% #ids) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "seconds": %%f, "p50_ms": %%f, "p99_ms": %%f, "max_ms": %%f, '
    .. '"failed": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3,
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux ``/proc``; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children_cpu() -> float:
    """CPU time of this process's finished children: the load generator, once reaped."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _load_command(url: str, ids: list[str], seconds: float, script: Path | None) -> list[str]:
    """wrk with the Lua script that cycles the ids, or ``load.py`` without wrk."""
    if script is not None:
        duration = f"{max(1, round(seconds))}s"
        return ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{duration}", "-s", str(script), url]
    return [
        sys.executable, str(HERE / "load.py"), url, "--prefix", "/batches/",
        "--ids", ",".join(ids), "--connections", str(CONNECTIONS), "--seconds", str(seconds),
    ]  # fmt: skip


def _full_collections(app: Server) -> dict[str, float]:
    """The app's full collections since the last call: ``count`` and ``longest_ms``."""
    with urllib.request.urlopen(f"{app.url}/_gc", timeout=10) as answer:
        figures: dict[str, float] = json.loads(answer.read())
    return figures


def _freeze(app: Server) -> None:
    """``gc.collect(); gc.freeze()`` in the app (its ``POST /_freeze``)."""
    freeze = urllib.request.Request(f"{app.url}/_freeze", method="POST")
    with urllib.request.urlopen(freeze, timeout=30) as answer:
        answer.read()


def _one_run(app: Server, upstream: Server, command: list[str]) -> dict[str, float]:
    """One load run against one app: its figures, the CPU share of each process, and
    the app's full collections (``gc_count``, ``gc_longest_ms``)."""
    _full_collections(app)
    before = [_cpu_seconds(app.pid), _cpu_seconds(upstream.pid), _children_cpu()]
    done = subprocess.run(command, capture_output=True, check=True, text=True, timeout=120)
    after = [_cpu_seconds(app.pid), _cpu_seconds(upstream.pid), _children_cpu()]
    collections = _full_collections(app)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["gc_count"], figures["gc_longest_ms"] = collections["count"], collections["longest_ms"]
    if figures["failed"] or not figures["requests"]:
        raise RuntimeError(f"load run failed: {figures}")
    figures["rps"] = figures["requests"] / figures["seconds"]
    figures["app_cpu"], figures["api_cpu"], figures["load_cpu"] = (
        (later - earlier) / figures["seconds"] for earlier, later in zip(before, after, strict=True)
    )
    return figures


def _check_apps(apps: dict[str, Server], batch_id: str) -> None:
    """Both apps answer an id with its batch and a missing one with 404, before timing."""
    for name, app in apps.items():
        with urllib.request.urlopen(f"{app.url}/batches/{batch_id}", timeout=10) as answer:
            if json.loads(answer.read())["id"] != batch_id:
                raise RuntimeError(f"{name} answered another batch")
        try:
            urllib.request.urlopen(f"{app.url}/batches/batch_missing", timeout=10)
        except urllib.error.HTTPError as error:
            if error.code == 404:
                continue
        raise RuntimeError(f"{name} did not answer 404 for a missing batch")


def _wrk_script(stack: contextlib.ExitStack, ids: list[str]) -> Path | None:
    """The Lua script for wrk in a temporary directory, or None when wrk is missing."""
    if shutil.which("wrk") is None:
        return None
    script = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "ids.lua"
    script.write_text(WRK_SCRIPT % ", ".join(json.dumps(i) for i in ids))
    return script


Runs = dict[str, list[dict[str, float]]]
"""Each app's timed runs, by app name."""


def measure(repetitions: int) -> tuple[Runs, Runs, str]:
    """Start upstream and apps, warm up, alternate timed runs; then freeze both apps'
    heaps (``POST /_freeze``) and alternate as many runs again."""
    with contextlib.ExitStack() as stack:
        upstream = stack.enter_context(running_child("web_upstream.py", "--batches", str(BATCHES)))
        ids: list[str] = upstream.announced["ids"]
        apps = {
            name: stack.enter_context(running_child("web_app.py", kind, "--upstream", upstream.url))
            for name, kind in ((SDK, "sdk"), (RAW, "raw"))
        }
        _check_apps(apps, ids[0])
        script = _wrk_script(stack, ids)
        for app in apps.values():
            _one_run(app, upstream, _load_command(app.url, ids, WARMUP_SECONDS, script))
        command = {name: _load_command(app.url, ids, SECONDS, script) for name, app in apps.items()}
        runs = _alternate(apps, upstream, command, repetitions)
        for app in apps.values():
            _freeze(app)
        frozen = _alternate(apps, upstream, command, repetitions)
    return runs, frozen, "load.py" if script is None else "wrk"


def _alternate(
    apps: dict[str, Server], upstream: Server, command: dict[str, list[str]], repetitions: int
) -> Runs:
    """``repetitions`` runs per app, SDK then raw, so a slow spell hits both sides."""
    runs: Runs = {name: [] for name in apps}
    for _ in range(repetitions):
        for name, app in apps.items():
            runs[name].append(_one_run(app, upstream, command[name]))
    return runs


def _sample(runs: list[dict[str, float]], key: str) -> Sample:
    return Sample.of([run[key] for run in runs])


def _row(name: str, runs: list[dict[str, float]]) -> tuple[str, ...]:
    rps, p99 = _sample(runs, "rps"), _sample(runs, "p99_ms")
    return (
        name,
        f"{rps.median:,.0f}", f"{rps.min:,.0f}", f"{rps.max:,.0f}",
        f"{_sample(runs, 'p50_ms').median:.1f}",
        f"{p99.median:.1f}", f"{p99.min:.1f}", f"{p99.max:.1f}",
        f"{_sample(runs, 'app_cpu').median:.0%}", f"{_sample(runs, 'api_cpu').median:.0%}",
        f"{Sample.of([r['app_cpu'] / r['rps'] * 1e6 for r in runs]).median:.0f}",
        f"{_sample(runs, 'gc_count').median:.0f}", f"{_sample(runs, 'gc_longest_ms').median:.1f}",
    )  # fmt: skip


def _paired(sdk: list[dict[str, float]], raw: list[dict[str, float]], key: str) -> Sample:
    """Ratios of neighbouring runs (SDK then raw), so a slow spell hits both sides."""
    pairs = zip(sdk, raw, strict=True)
    if key == "rps":
        return Sample.of([s["rps"] / r["rps"] for s, r in pairs])
    return Sample.of([r["p99_ms"] / s["p99_ms"] for s, r in pairs])


FROZEN = "frozen"
"""Marks the rows and notes of the runs after ``gc.freeze()`` in both apps."""


def _ratios(sdk: list[dict[str, float]], raw: list[dict[str, float]]) -> tuple[float, float]:
    """req/s SDK / raw and p99 raw / SDK, from the medians: higher is better for the SDK."""
    rps = _sample(sdk, "rps").median / _sample(raw, "rps").median
    return rps, _sample(raw, "p99_ms").median / _sample(sdk, "p99_ms").median


def _ratio_notes(sdk: list[dict[str, float]], raw: list[dict[str, float]]) -> tuple[str, str]:
    rps_ratio, p99_ratio = _ratios(sdk, raw)
    paired_rps, paired_p99 = _paired(sdk, raw, "rps"), _paired(sdk, raw, "p99_ms")
    return (
        f"req/s SDK / raw: {ratio(rps_ratio)} (per pair of runs: median "
        f"{ratio(paired_rps.median)}, {ratio(paired_rps.min)}-{ratio(paired_rps.max)})",
        f"p99 raw / SDK: {ratio(p99_ratio)} (per pair of runs: median "
        f"{ratio(paired_p99.median)}, {ratio(paired_p99.min)}-{ratio(paired_p99.max)})",
    )


def run(repetitions: int) -> Outcome:
    """Both apps under the same load; req/s and p99 with their SDK-vs-raw ratios, as the
    apps start (the targets) and after ``gc.freeze()`` in both (for information)."""
    runs, frozen, generator = measure(repetitions)
    sdk, raw = runs[SDK], runs[RAW]
    rps_ratio, p99_ratio = _ratios(sdk, raw)
    table = Table(
        title=f"(7) GET /batches/{{id}} under load: {CONNECTIONS} connections, "
        f"{SECONDS:g} s runs ({generator})",
        headers=("app", "req/s", "min", "max", "p50 ms", "p99 ms", "min", "max",
                 "app cpu", "api cpu", "app us/req", "full GCs", "GC pause ms"),
        rows=(_row(SDK, sdk), _row(RAW, raw),
              _row(f"{SDK}, {FROZEN}", frozen[SDK]), _row(f"{RAW}, {FROZEN}", frozen[RAW])),
        notes=(
            *_ratio_notes(sdk, raw),
            *(f"{FROZEN}: {note}" for note in _ratio_notes(frozen[SDK], frozen[RAW])),
            f"{len(sdk)} runs per app, alternating, after a {WARMUP_SECONDS:g} s warm-up each; "
            f"{generator} used {_sample(sdk + raw, 'load_cpu').median:.0%} of a core",
            "full GCs: the app's full collections per run; GC pause ms: the longest of a run "
            "(medians); each stalls every request in flight, so p99 follows them",
            f"{FROZEN}: as many runs again after gc.collect(); gc.freeze() in both apps, "
            "so full collections skip what start-up and warm-up left; for information, "
            "the targets are on the first runs (benchmarks/README.md)",
        ),
    )  # fmt: skip
    targets = (
        Target("7", f"SDK app req/s >= {MIN_RATIO:g}x raw handler", ratio(rps_ratio)
               + f" ({_sample(sdk, 'rps').median:,.0f} vs {_sample(raw, 'rps').median:,.0f})",
               rps_ratio >= MIN_RATIO),
        Target("7", f"SDK app p99 <= raw p99 / {MIN_RATIO:g} (raw / SDK >= {MIN_RATIO:g}x)",
               ratio(p99_ratio) + f" ({_sample(sdk, 'p99_ms').median:.1f} ms vs "
               f"{_sample(raw, 'p99_ms').median:.1f} ms)", p99_ratio >= MIN_RATIO),
    )  # fmt: skip
    return Outcome((table,), targets)
