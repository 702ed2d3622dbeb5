"""Batch progress turned into the ``phases`` and ``stats`` the API reports.

A batch has two phases: ``validate`` reads every row (and rejects the bad ones) and
``write`` applies the valid rows. One number, the overall ``fraction`` done in [0, 1],
drives both, so a batch's phases, stats and downloadable files always agree with its
status, whether it is seeded, static or moving.
"""

from __future__ import annotations

import dataclasses
from typing import Any

__all__ = ["Progress", "fraction_for", "phases", "progress", "stats"]

# Statuses whose batches stopped part way; they keep the fraction they reached.
STOPPED = frozenset({"failed", "timed_out"})


@dataclasses.dataclass(frozen=True)
class Progress:
    """Row counts at one moment: validate read/rejected, write total/applied."""

    total: int
    validated: int
    rejected: int
    to_write: int
    written: int


def fraction_for(status: str, processing: float, stop: float) -> float:
    """Overall fraction done for ``status`` (``processing`` while running, ``stop`` if halted)."""
    if status == "completed":
        return 1.0
    if status in STOPPED:
        return stop
    if status == "processing":
        return processing
    return 0.0


def progress(total: int, errors: int, fraction: float) -> Progress:
    """Counts after ``fraction`` of the work: validate is the first half, write the second."""
    validated = round(min(1.0, 2 * fraction) * total)
    rejected = errors * validated // total if total else 0
    to_write = validated - rejected
    written = round(max(0.0, 2 * fraction - 1) * to_write)  # validation is done by then
    return Progress(total, validated, rejected, to_write, written)


def _modes(mode: str) -> tuple[str, str]:
    """Per-phase modes: a mixed batch validates synchronously and writes asynchronously."""
    if mode == "mixed":
        return "sync", "async"
    return (mode, mode) if mode in ("sync", "async") else ("sync", "sync")


def phases(mode: str, p: Progress) -> list[dict[str, Any]]:
    """The ``phases`` array for a batch in ``mode`` at progress ``p``."""
    validate_mode, write_mode = _modes(mode)
    validate = {
        "name": "validate",
        "mode": validate_mode,
        "total": p.total,
        "processed": p.validated,
        "success": p.validated - p.rejected,
        "error": p.rejected,
    }
    write = {
        "name": "write",
        "mode": write_mode,
        "total": p.to_write,
        "processed": p.written,
        "success": p.written,
        "error": 0,
    }
    return [validate, write]


def stats(action: str, written: int) -> dict[str, int]:
    """The ``stats`` object: what the written rows did, by ``action``."""
    out = {"created": 0, "updated": 0, "deleted": 0, "overwritten": 0, "events": written}
    if action == "delete":
        out["deleted"] = written
    elif action == "overwrite":
        out["overwritten"] = written
    else:
        out["created"] = (written + 1) // 2
        out["updated"] = written - out["created"]
    return out
