"""Items added while the fake runs: always the newest, optionally moving.

``fields`` are JSON keys copied onto the item (unknown keys and unknown enum values are
welcome: they let tests check that a client tolerates them). A static item gets them
after rendering too, so an explicit ``phases`` or ``reason`` wins; a moving item's
status-derived fields (status, reason, phases, stats, updated_at) follow its job.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ._data import SEED_FILE_ROWS, Factory, Stamp
from ._items import BatchItem, ExportItem
from ._jobs import BATCH_CHAIN, BATCH_FINALS, EXPORT_CHAIN, EXPORT_FINALS, make_job
from ._phases import fraction_for

__all__ = ["AddSpec", "new_batch", "new_export", "stamp_after"]


@dataclasses.dataclass(frozen=True)
class AddSpec:
    """What the caller asked for: start status, optional final status and step, rows."""

    status: str | None
    final_status: str | None
    step_seconds: float
    rows: int | None
    fields: dict[str, Any]

    @property
    def start(self) -> str:
        """The status to start in: as given, else queued if moving, else completed."""
        if self.status is not None:
            return self.status
        return "queued" if self.final_status is not None else "completed"


def stamp_after(now: float, after: int) -> Stamp:
    """Now, or one second after the newest ``created_at`` (creation order stays strict)."""
    created = max(int(now), after + 1)
    return Stamp(created, created)


def _check_rows(rows: int | None) -> None:
    if rows is not None and rows < 0:
        raise ValueError("rows must be >= 0")


def new_batch(
    factory: Factory,
    spec: AddSpec,
    *,
    now: float,
    after: int,
    errors: int | None,
    save_upload: bool,
    save_result: bool,
) -> BatchItem:
    """A new batch created at ``now`` (after ``after``), static or moving per ``spec``."""
    _check_rows(spec.rows)
    stamp = stamp_after(now, after)
    item = factory.batch(factory.added, spec.start, stamp)
    item.total = item.total if spec.rows is None else spec.rows
    item.errors = min(item.total, item.errors if errors is None else errors)
    item.save_upload, item.save_result = save_upload, save_result
    item.data.update(spec.fields)
    if spec.final_status is None:
        fraction = fraction_for(spec.start, item.processing, item.stop)
        item.render(spec.start, fraction, stamp.updated_at)
        item.data.update(spec.fields)
        return item
    stops = spec.final_status in ("failed", "timed_out")
    item.stop = round(factory.added.uniform(0.2, 0.9), 3) if stops else 1.0
    item.job = make_job(
        BATCH_CHAIN,
        BATCH_FINALS,
        status=spec.start,
        final=spec.final_status,
        start=now,
        step=spec.step_seconds,
    )
    item.view(now)
    return item


def new_export(factory: Factory, spec: AddSpec, *, now: float, after: int) -> ExportItem:
    """A new export created at ``now`` (after ``after``), static or moving per ``spec``."""
    _check_rows(spec.rows)
    item = factory.export(factory.added, spec.start, stamp_after(now, after))
    if spec.rows is not None:
        item.data["count_total"] = spec.rows
    item.data.update(spec.fields)
    count = item.data.get("count_total")
    default_rows = min(count, SEED_FILE_ROWS) if isinstance(count, int) else SEED_FILE_ROWS
    item.file_rows = default_rows if spec.rows is None else spec.rows
    if spec.final_status is not None:
        item.job = make_job(
            EXPORT_CHAIN,
            EXPORT_FINALS,
            status=spec.start,
            final=spec.final_status,
            start=now,
            step=spec.step_seconds,
        )
        item.view(now)
    return item
