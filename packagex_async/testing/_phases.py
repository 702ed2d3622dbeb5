"""Batch progress turned into the ``phases`` and ``stats`` the API reports.

The documented phases, in order: ``parsing`` reads every row, ``validation`` checks them
(rejecting the bad ones), ``processing`` applies the valid rows and, for ``overwrite``
batches only, ``cleanup`` finishes the overwrite over the applied rows. One number, the
overall ``fraction`` done in [0, 1], drives them all (each phase takes an equal share,
in turn), so a batch's phases, stats and downloadable files always agree with its
status, whether it is seeded, static, moving or created through the API. Partial counts
round down, so a batch that stopped part way never looks finished.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

__all__ = ["PHASES", "Progress", "fraction_for", "phases", "progress", "stats"]

PHASES = ("parsing", "validation", "processing", "cleanup")
# Statuses whose batches stopped part way; they keep the fraction they reached.
STOPPED = frozenset({"failed", "timed_out"})


@dataclasses.dataclass(frozen=True)
class Progress:
    """Row counts at one moment, phase by phase."""

    total: int
    parsed: int
    validated: int
    rejected: int
    to_write: int
    written: int
    cleanup: bool = False
    cleaned: int = 0


def fraction_for(status: str, processing: float, stop: float) -> float:
    """Overall fraction done for ``status`` (``processing`` while running, ``stop`` if halted)."""
    if status == "completed":
        return 1.0
    if status in STOPPED:
        return stop
    if status == "processing":
        return processing
    return 0.0


def progress(total: int, errors: int, fraction: float, *, cleanup: bool = False) -> Progress:
    """Counts after ``fraction`` of the work, each phase taking an equal share in turn."""
    shares = 4 if cleanup else 3

    def done(phase: int, of: int) -> int:
        return math.floor(min(1.0, max(0.0, shares * fraction - phase)) * of)

    validated = done(1, total)
    rejected = errors * validated // total if total else 0
    to_write = validated - rejected
    written = done(2, to_write)
    cleaned = done(3, to_write) if cleanup else 0
    return Progress(total, done(0, total), validated, rejected, to_write, written, cleanup, cleaned)


def _modes(mode: str) -> tuple[str, str]:
    """Read/apply modes: a mixed batch parses and validates synchronously, applies async."""
    if mode == "mixed":
        return "sync", "async"
    return (mode, mode) if mode in ("sync", "async") else ("sync", "sync")


def _phase(name: str, mode: str, total: int, success: int, error: int = 0) -> dict[str, Any]:
    processed = success + error
    return {
        "name": name,
        "mode": mode,
        "total": total,
        "processed": processed,
        "success": success,
        "error": error,
    }


def phases(mode: str, p: Progress) -> list[dict[str, Any]]:
    """The ``phases`` array for a batch in ``mode`` at progress ``p``."""
    read, apply = _modes(mode)
    out = [
        _phase("parsing", read, p.total, p.parsed),
        _phase("validation", read, p.total, p.validated - p.rejected, p.rejected),
        _phase("processing", apply, p.to_write, p.written),
    ]
    if p.cleanup:
        out.append(_phase("cleanup", apply, p.to_write, p.cleaned))
    return out


def stats(action: str, written: int, results: Sequence[str] | None = None) -> dict[str, int]:
    """The ``stats`` object: what the written rows did, by ``action`` (or ``results``)."""
    out = {"created": 0, "updated": 0, "deleted": 0, "overwritten": 0, "events": written}
    if results is not None:
        counted = Counter(results[:written])
        out.update({key: counted[key] for key in ("created", "updated", "deleted", "overwritten")})
    elif action == "delete":
        out["deleted"] = written
    elif action == "overwrite":
        out["overwritten"] = written
    else:
        out["created"] = (written + 1) // 2
        out["updated"] = written - out["created"]
    return out
