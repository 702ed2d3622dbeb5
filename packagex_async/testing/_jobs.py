"""Jobs that move: a status timeline computed from the fake clock when an item is served.

Nothing runs in the background (so shutdown never waits for a job task): an item with a
``Job`` asks it for its state at ``now`` each time it is served. Each status before
the final one lasts ``step`` seconds; ``progress`` is how far the ``processing`` step
has got, so polling sees phases advance. Each resource module names its own chain of
statuses and its finals.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

__all__ = ["Job", "JobState", "make_job"]


@dataclasses.dataclass(frozen=True)
class JobState:
    """Where a job is: its status, processing progress in [0, 1], when it last changed."""

    status: str
    progress: float
    changed_at: float
    done: bool


@dataclasses.dataclass(frozen=True)
class Job:
    """A timeline: ``steps`` in order, ``step`` seconds each, then ``final`` for good."""

    start: float
    steps: tuple[str, ...]
    final: str
    step: float

    def state(self, now: float) -> JobState:
        """The job's state at fake time ``now``."""
        index = int(max(0.0, now - self.start) // self.step)
        if index >= len(self.steps):
            changed = self.start + len(self.steps) * self.step
            return JobState(self.final, 1.0, changed, done=True)
        changed = self.start + index * self.step
        within = min(1.0, (now - changed) / self.step)
        status = self.steps[index]
        return JobState(status, within if status == "processing" else 0.0, changed, done=False)


def make_job(
    chain: Sequence[str],
    finals: Sequence[str],
    *,
    status: str,
    final: str,
    start: float,
    step: float,
) -> Job:
    """A Job from ``status`` through the rest of ``chain`` to ``final``; checks the names."""
    if status not in chain:
        raise ValueError(f"a moving item's status must be one of {list(chain)}, not {status!r}")
    if final not in finals:
        raise ValueError(f"final_status must be one of {list(finals)}, not {final!r}")
    if step <= 0:
        raise ValueError("step_seconds must be > 0")
    steps = tuple(chain[chain.index(status) :])
    return Job(start=start, steps=steps, final=final, step=step)
