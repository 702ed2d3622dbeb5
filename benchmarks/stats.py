"""Repeated timings reduced to median, min and max.

Medians, not means: on a shared 2-core machine a single run can be slowed by
anything, and one outlier should not move the headline figure. Min and max are
printed next to it so the spread is visible.
"""

from __future__ import annotations

import dataclasses
import gc
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence


@dataclasses.dataclass(frozen=True)
class Sample:
    """Several measurements of one quantity (seconds, MiB, ...)."""

    values: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def min(self) -> float:
        return min(self.values)

    @property
    def max(self) -> float:
        return max(self.values)

    @classmethod
    def of(cls, values: Sequence[float]) -> Sample:
        if not values:
            raise ValueError("a sample needs at least one value")
        return cls(tuple(values))


@dataclasses.dataclass(frozen=True)
class Timing:
    """Wall-clock seconds of a run and the CPU seconds this process spent in it."""

    wall: float
    cpu: float


async def timed(run: Callable[[], Awaitable[object]]) -> Timing:
    """Time one awaited run: wall clock and this process's CPU (the client's own cost).

    A full collection first, so no run pays for the garbage of the one before it;
    the collector stays on during the run, because users run with it on too.
    """
    gc.collect()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    await run()
    return Timing(time.perf_counter() - wall0, time.process_time() - cpu0)


async def interleaved(
    runs: dict[str, Callable[[], Awaitable[object]]], repetitions: int, *, warmup: int = 1
) -> dict[str, tuple[Sample, Sample]]:
    """Run every contender ``repetitions`` times, round-robin, after untimed warm-ups.

    Round-robin so that a slow spell of the machine hits every contender alike
    instead of one contender's whole series. Returns (wall, cpu) samples by name.
    """
    for _ in range(warmup):
        for run in runs.values():
            await run()
    walls: dict[str, list[float]] = {name: [] for name in runs}
    cpus: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repetitions):
        for name, run in runs.items():
            timing = await timed(run)
            walls[name].append(timing.wall)
            cpus[name].append(timing.cpu)
    return {name: (Sample.of(walls[name]), Sample.of(cpus[name])) for name in runs}
