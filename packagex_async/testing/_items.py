"""Stored batches and exports: their JSON plus the hidden facts the JSON is derived from.

An item keeps its last rendered JSON in ``data``; static items never re-render, moving
items (with a ``Job``) re-render when served and drop the job once it is final. The
hidden facts (row counts, save flags, where a failed batch stopped) decide which files
storage can serve for the item, so URLs and file contents agree with the JSON. Items
created through the API also keep what was asked (``outcome``, ``selection``), so their
files hold the rows sent or the records selected.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from ._jobs import Job
from ._outcome import Outcome
from ._phases import Progress, fraction_for, phases, progress, stats

if TYPE_CHECKING:
    from ._selection import Selection

__all__ = ["BatchItem", "ExportItem"]

UNSTARTED = frozenset({"requested", "expired"})
FINISHED = frozenset({"completed", "failed", "timed_out"})


@dataclasses.dataclass(eq=False)
class BatchItem:
    """A batch: ``total`` rows, ``errors`` bad ones, halting at ``stop`` if it fails."""

    data: dict[str, Any]
    total: int
    errors: int
    stop: float
    processing: float
    failure: str
    save_upload: bool
    save_result: bool
    job: Job | None = None
    current: Progress = dataclasses.field(default_factory=lambda: Progress(0, 0, 0, 0, 0, 0))
    outcome: Outcome | None = None  # the real rows, for batches created through the API

    @property
    def id(self) -> str:
        return str(self.data["id"])

    def render(self, status: str, fraction: float, updated_at: int) -> None:
        """Recompute status, reason, phases, stats and updated_at into a new ``data``."""
        unstarted = self.data.get("via") == "file" and status in UNSTARTED
        total = 0 if unstarted else self.total
        action = str(self.data.get("action"))
        cleanup = action == "overwrite"
        self.current = progress(total, min(self.errors, total), fraction, cleanup=cleanup)
        results = None if self.outcome is None else [row[2] for row in self.outcome.applied]
        data = dict(self.data)
        data["status"] = status
        data["reason"] = self.failure if status == "failed" else None
        data["phases"] = phases(str(data.get("mode")), self.current)
        data["stats"] = stats(action, self.current.written, results)
        data["updated_at"] = updated_at
        self.data = data

    def view(self, now: float) -> dict[str, Any]:
        """The JSON at fake time ``now`` (re-rendered only while a job is moving)."""
        if self.job is None:
            return self.data
        state = self.job.state(now)
        fraction = fraction_for(state.status, state.progress * self.stop, self.stop)
        updated = max(int(self.data["created_at"]), int(state.changed_at))
        self.render(state.status, fraction, updated)
        if state.done:
            self.job = None
        return self.data

    def files(self) -> dict[str, int]:
        """Files storage holds for this batch now, with their row counts."""
        status, p = self.data.get("status"), self.current
        out: dict[str, int] = {}
        if self.save_upload and status not in UNSTARTED:
            out["upload.csv"] = out["upload.json"] = p.total
        if p.rejected:
            out["errors.csv"] = out["errors.json"] = p.rejected
        if self.save_result and status in FINISHED:
            out["result.json"] = p.written
        return out


@dataclasses.dataclass(eq=False)
class ExportItem:
    """An export; its files (``file_rows`` data rows) exist only once it is completed."""

    data: dict[str, Any]
    file_rows: int
    error_rows: int
    sanitized_rows: int
    job: Job | None = None
    selection: Selection | None = None  # the records, for exports created through the API

    @property
    def id(self) -> str:
        return str(self.data["id"])

    def view(self, now: float) -> dict[str, Any]:
        """The JSON at fake time ``now`` (re-rendered only while a job is moving)."""
        if self.job is None:
            return self.data
        state = self.job.state(now)
        data = dict(self.data)
        data["status"] = state.status
        data["updated_at"] = max(int(data["created_at"]), int(state.changed_at))
        self.data = data
        if state.done:
            self.job = None
        return data

    def files(self) -> dict[str, int]:
        """Files storage holds for this export now, with their row counts."""
        if self.data.get("status") != "completed":
            return {}
        return {
            "data.json": self.file_rows,
            "data.csv": self.file_rows,
            "errors.csv": self.error_rows,
            "sanitized.csv": self.sanitized_rows,
        }
