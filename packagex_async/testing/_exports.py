"""The fake's exports: ``/v1/exports``, seeded, added, created, listed and their files.

Seeded exports cycle through every export status; an export's ``updated_at`` wanders
up to a day after its ``created_at``, so ``order_by=updated_at`` differs from creation
order. A created export (``POST /v1/exports``, checked by ``_export_request``) starts
``queued`` and moves through ``processing`` to ``completed``; its files hold the
records it selected (``_selection``) in the requested columns. Files exist only once
an export is completed: ``data.json`` (array of objects), ``data.csv``, ``errors.csv``,
``sanitized.csv``.

Where the docs leave room, the list filters accept a little more: ``statuses=sent``
(listed in one doc version) and every exportable resource.
"""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Sequence
from typing import Any

from ._collection import Collection, Keep
from ._dates import iso
from ._export_request import EXPORTABLE_RESOURCES, read_export
from ._files import FileMaker, StoredFile
from ._jobs import Job, make_job
from ._params import QueryReader
from ._resource import AddSpec, Created, FakeResource, stamp_after
from ._rows import Table, export_error_table, resource_table, salt_of, sanitized_table
from ._seed import SEED_EPOCH, SEED_FILE_ROWS, Factory, Stamp
from ._selection import Selection, select
from ._words import EXPORT_ADJECTIVES, EXPORT_NOUNS, make_id

__all__ = ["EXPORTS", "ExportItem"]

SEEDED_RESOURCES = (
    "contact",
    "group",
    "location",
    "shipment",
    "tracker",
    "shipping_label_inference",
)  # the list page names these six
STATUSES = ("queued", "processing", "completed", "failed", "timed_out")
STATUS_FILTER = (*STATUSES, "sent")
CHAIN = ("queued", "processing")
FINALS = ("completed", "failed", "timed_out")
ORDER = ("created_at", "count_batches", "count_total", "updated_at")
URL_KEYS = ("_json_url", "_csv_url", "_csv_error_url", "_csv_sanitized_url")
FLAGS = {
    "include_json": (("_json_url", "data.json"),),
    "include_csv": (
        ("_csv_url", "data.csv"),
        ("_csv_error_url", "errors.csv"),
        ("_csv_sanitized_url", "sanitized.csv"),
    ),
}
ROWS_PER_EXPORT_BATCH = 100  # an export's count_batches: its rows in chunks of this size


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


def seed(factory: Factory, count: int) -> list[ExportItem]:
    """``count`` exports, statuses cycling through ``STATUSES``."""
    rng, clock, items = factory.seeded, SEED_EPOCH, []
    for index in range(count):
        clock += rng.randint(300, 900)
        stamp = Stamp(clock, clock + rng.randint(0, 86_400))
        items.append(make(factory, rng, STATUSES[index % len(STATUSES)], stamp))
    return items


def make(factory: Factory, rng: random.Random, status: str, stamp: Stamp) -> ExportItem:
    """One export in ``status`` with random realistic fields."""
    count_total = rng.randint(0, 5_000)
    data: dict[str, Any] = {
        "id": make_id(rng, "exp_"),
        "object": "export",
        "organization_id": factory.organization_id,
        "name": f"{rng.choice(EXPORT_ADJECTIVES)} {rng.choice(EXPORT_NOUNS)} "
        f"{rng.randint(1, 999):03d}",
        "resource": rng.choice(SEEDED_RESOURCES),
        "status": status,
        "count_batches": rng.randint(1, 12),
        "count_total": count_total,
        "created_at": stamp.created_at,
        "updated_at": stamp.updated_at,
    }
    data.update(dict.fromkeys(URL_KEYS))
    rows = min(count_total, SEED_FILE_ROWS)
    return ExportItem(data, rows, rng.randint(0, 3), rng.randint(0, 2))


def static(factory: Factory, stamp: Stamp) -> ExportItem:
    """A completed export stamped ``stamp``, from the added stream."""
    return make(factory, factory.added, "completed", stamp)


def add(factory: Factory, spec: AddSpec, now: float, after: int) -> ExportItem:
    """A new export created at ``now`` (after ``after``), static or moving per ``spec``."""
    spec.check()
    item = make(factory, factory.added, spec.start, stamp_after(now, after))
    if spec.rows is not None:
        item.data["count_total"] = spec.rows
    item.data.update(spec.fields)
    count = item.data.get("count_total")
    default_rows = min(count, SEED_FILE_ROWS) if isinstance(count, int) else SEED_FILE_ROWS
    item.file_rows = default_rows if spec.rows is None else spec.rows
    if spec.final_status is not None:
        item.job = make_job(
            CHAIN,
            FINALS,
            status=spec.start,
            final=spec.final_status,
            start=now,
            step=spec.step_seconds,
        )
        item.view(now)
    return item


def create(context: Created, body: dict[str, Any]) -> ExportItem:
    """The export a ``POST /v1/exports`` body asks for, moving ``context.step`` per status."""
    query = read_export(body)
    selection = select(query, context.seed)
    stamp, count = stamp_after(context.now, context.after), len(selection)
    title = query.resource.replace("_", " ").capitalize()
    data: dict[str, Any] = {
        "id": make_id(context.factory.added, "exp_"),
        "object": "export",
        "organization_id": context.factory.organization_id,
        "name": f"{title} export {iso(stamp.created_at)}",
        "resource": query.resource,
        "status": "queued",
        "count_batches": max(1, math.ceil(count / ROWS_PER_EXPORT_BATCH)),
        "count_total": count,
        "created_at": stamp.created_at,
        "updated_at": stamp.updated_at,
    }
    data.update(dict.fromkeys(URL_KEYS))
    item = ExportItem(data, count, 0, 0, selection=selection)
    item.job = make_job(
        CHAIN, FINALS, status="queued", final="completed", start=context.now, step=context.step
    )
    item.view(context.now)
    return item


def listing(
    reader: QueryReader, items: Collection[Any], now: float
) -> tuple[Keep | None, Sequence[Any] | None]:
    """``order_by``/``direction``, then ``resource``, ``statuses``, ``search``."""
    order_by = reader.choice("order_by", ORDER)
    descending = reader.choice("direction", ("asc", "desc")) == "desc"
    keep = _keep(reader)
    order = None
    if order_by is not None or descending:
        order = items.ordered(order_by or "created_at", descending, now)
    return keep, order


def _keep(reader: QueryReader) -> Keep | None:
    resource = reader.choice("resource", EXPORTABLE_RESOURCES)
    statuses = reader.choices("statuses", STATUS_FILTER)
    search = reader.text("search")
    needle = search.lower() if search else None
    if resource is None and statuses is None and needle is None:
        return None

    def keep(view: dict[str, Any]) -> bool:
        if resource is not None and view.get("resource") != resource:
            return False
        if statuses is not None and view.get("status") not in statuses:
            return False
        return needle is None or needle in str(view.get("name", "")).lower()

    return keep


def file(maker: FileMaker, item: ExportItem, name: str) -> StoredFile | None:
    """Export file ``name``, or None if the export has no such file (yet)."""
    return maker.file(item, name, lambda rows: _table(maker.seed, item, name, rows))


def _table(seed: int, item: ExportItem, name: str, rows: int) -> Table:
    stem, resource = name.split(".")[0], str(item.data.get("resource"))
    salt = salt_of(seed, item.id, stem)
    if stem == "data" and item.selection is not None:
        return item.selection.render(csv=name.endswith(".csv"))
    if stem == "data":
        return resource_table(resource, rows, salt)
    if stem == "errors":
        return export_error_table(rows, salt)
    return sanitized_table(resource, rows, salt)


EXPORTS = FakeResource(
    name="exports",
    noun="export",
    default_limit=10,
    seeded=30,
    flags=FLAGS,
    seed=seed,
    add=add,
    create=create,
    listing=listing,
    file=file,
    static=static,
)
