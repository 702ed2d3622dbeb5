"""Jobs created through ``POST``: always the newest, always moving on the fake clock.

A created batch starts ``queued`` when its rows came in the body (``via: api``) and
``requested`` when they came as a file (``via: file``), then moves one status per
``step`` seconds to ``completed`` (``failed`` for a CSV that cannot be parsed). A created
export starts ``queued`` and moves through ``processing`` to ``completed``. Their files
hold what was asked: the batch's own rows, the export's selected records.
"""

from __future__ import annotations

import math
from typing import Any

from ._adding import stamp_after
from ._batch_request import BatchRequest
from ._data import URL_KEYS_BATCH, URL_KEYS_EXPORT, Factory, Stamp
from ._dates import iso
from ._items import BatchItem, ExportItem
from ._jobs import BATCH_CHAIN, BATCH_FINALS, EXPORT_CHAIN, EXPORT_FINALS, make_job
from ._outcome import decide
from ._rows import salt_of
from ._selection import Selection
from ._words import make_id

__all__ = ["ROWS_PER_EXPORT_BATCH", "created_batch", "created_export"]

ROWS_PER_EXPORT_BATCH = 100  # an export's count_batches: its rows in chunks of this size


def _batch_json(factory: Factory, request: BatchRequest, stamp: Stamp) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": make_id(factory.added, "batch_"),
        "object": "batch",
        "organization_id": factory.organization_id,
        "resource": request.resource,
        "mode": request.mode,
        "via": request.upload.via,
        "action": request.action,
        "status": "requested",
        "duplicate_handling": request.duplicate_handling,
        "reason": None,
        "phases": [],
        "stats": {},
        "created_at": stamp.created_at,
        "updated_at": stamp.updated_at,
        "updated_by": factory.users[0],
        "checksum": request.upload.checksum,
    }
    data.update(dict.fromkeys(URL_KEYS_BATCH))
    return data


def created_batch(
    factory: Factory, request: BatchRequest, *, now: float, after: int, step: float
) -> BatchItem:
    """The batch ``request`` creates at ``now``, moving ``step`` seconds per status."""
    data = _batch_json(factory, request, stamp_after(now, after))
    upload = request.upload
    outcome = decide(request.resource, request.action, upload.rows, salt_of(data["id"]))
    item = BatchItem(
        data=data,
        total=len(upload.rows),
        errors=len(outcome.rejected),
        stop=0.0 if upload.unreadable else 1.0,
        processing=0.0,
        failure=upload.unreadable or "",
        save_upload=request.save_upload,
        save_result=request.save_result,
        outcome=outcome,
    )
    item.job = make_job(
        BATCH_CHAIN,
        BATCH_FINALS,
        status="queued" if upload.via == "api" else "requested",
        final="failed" if upload.unreadable else "completed",
        start=now,
        step=step,
    )
    item.view(now)
    return item


def created_export(
    factory: Factory, selection: Selection, resource: str, *, now: float, after: int, step: float
) -> ExportItem:
    """The export of ``selection`` created at ``now``, moving ``step`` seconds per status."""
    stamp, count = stamp_after(now, after), len(selection)
    title = resource.replace("_", " ").capitalize()
    data: dict[str, Any] = {
        "id": make_id(factory.added, "exp_"),
        "object": "export",
        "organization_id": factory.organization_id,
        "name": f"{title} export {iso(stamp.created_at)}",
        "resource": resource,
        "status": "queued",
        "count_batches": max(1, math.ceil(count / ROWS_PER_EXPORT_BATCH)),
        "count_total": count,
        "created_at": stamp.created_at,
        "updated_at": stamp.updated_at,
    }
    data.update(dict.fromkeys(URL_KEYS_EXPORT))
    item = ExportItem(data, count, 0, 0, selection=selection)
    item.job = make_job(
        EXPORT_CHAIN, EXPORT_FINALS, status="queued", final="completed", start=now, step=step
    )
    item.view(now)
    return item
