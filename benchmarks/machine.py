"""The facts a reader needs to compare figures across machines: cores, memory, versions."""

from __future__ import annotations

import os
import platform
from importlib.metadata import PackageNotFoundError, version

PACKAGES = (
    "packagex_async",
    "aiohttp",
    "attrs",
    "cattrs",
    "orjson",
    "msgspec",
    "httpx",
    "pydantic",
)


def cpu_count() -> int:
    """CPUs this process may run on (what ``nproc`` prints), not the host's total."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def memory_gib() -> float | None:
    """Total memory from /proc/meminfo (Linux), None elsewhere."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        return None
    return None


BUSY_LOAD = 0.5


def load_average() -> float | None:
    """The 1-minute load average (None where unknown)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else None


def busy_warning() -> str | None:
    """A warning when something else already keeps the CPUs busy: figures get noisy."""
    load = load_average()
    if load is None or load < BUSY_LOAD:
        return None
    return (
        f"warning: load average {load:.2f} before starting: another process competes for "
        f"the {cpu_count()} CPUs, so figures will be slower and noisier than on a quiet machine"
    )


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "missing"


def describe() -> list[tuple[str, str]]:
    """(name, value) pairs describing this machine and the stacks under test."""
    memory, load = memory_gib(), load_average()
    facts = [
        ("CPUs (nproc)", str(cpu_count())),
        ("memory", "unknown" if memory is None else f"{memory:.1f} GiB"),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("platform", platform.platform(terse=True)),
        ("load (1 min, at start)", "unknown" if load is None else f"{load:.2f}"),
    ]
    versions = [(package, _version(package)) for package in PACKAGES]
    return [*facts, ("SDK decoder", "msgspec accelerator, then orjson + cattrs"), *versions]
