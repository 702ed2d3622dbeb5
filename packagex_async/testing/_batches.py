"""The fake's batches: ``/v1/batches``, seeded, added, created, listed and their files.

Seeded batches cycle through every documented status; ``updated_at`` falls before the
next batch's ``created_at``. A created batch (``POST /v1/batches``) starts ``queued``
when its rows came in the body (``via: api``) and ``requested`` when they came as a
file (``via: file``), then moves one status per step to ``completed`` (``failed`` for
a CSV that cannot be parsed); its files hold the rows sent, the real rejected and
applied rows. A batch's JSON is re-rendered from hidden facts (row counts, save flags,
where a failed batch stopped), so its URLs, phases and files always agree.

Create checks (``POST /v1/batches``): ``resource`` (contact, group, shipment, tracker,
asset) and ``action`` (merge, overwrite, delete) are required; shipments, trackers and
assets allow merge only (a 400 naming ``action``). ``mode`` is sync or mixed (default
mixed: the create API does not offer async), ``save_upload`` / ``save_result`` JSON
booleans (default false), ``duplicate_handling`` ignore_all (default) or use_first.
``data`` is read by ``_uploads``.

Where the docs leave room, the list filters accept a little more: ``mode=async`` (the
batch model has async batches) and ``resource=asset`` (batches can be created for it).
``_upload_url`` (an upload target) stays null: the fake has no uploads.
"""

from __future__ import annotations

import dataclasses
import random
from typing import Any

from ._body import BodyError, BodyReader
from ._collection import Collection, Keep, equals
from ._files import FileMaker, StoredFile
from ._jobs import Job, make_job
from ._outcome import Outcome, decide
from ._params import QueryReader
from ._phases import Progress, fraction_for, phases, progress, stats
from ._resource import AddSpec, Created, FakeResource, stamp_after
from ._rows import (
    ERROR_COLUMNS,
    RESULT_COLUMNS,
    Table,
    error_table,
    resource_table,
    result_table,
    salt_of,
)
from ._seed import SEED_EPOCH, Factory, Stamp, checksum
from ._uploads import Upload, read_upload
from ._words import make_id

__all__ = [
    "ACTIONS",
    "BATCHES",
    "CHAIN",
    "DUPLICATE_HANDLING",
    "FINALS",
    "STATUSES",
    "BatchItem",
    "check_action",
    "moving_rows_job",
    "rows_job_file",
    "start",
]

SEEDED_RESOURCES = ("contact", "group", "shipment", "tracker")
CREATE_RESOURCES = (*SEEDED_RESOURCES, "asset")  # the overview adds asset
MODES = ("sync", "mixed", "async")
CREATE_MODES = ("sync", "mixed")
MERGE_ONLY = ("shipment", "tracker", "asset")
VIAS = ("api", "file")
ACTIONS = ("merge", "overwrite", "delete")
DUPLICATE_HANDLING = ("ignore_all", "use_first")
STATUSES = ("requested", "queued", "processing", "completed", "failed", "timed_out", "expired")
CHAIN = ("requested", "queued", "processing")
FINALS = ("completed", "failed", "timed_out", "expired")
FAILURES = (
    "File could not be parsed: unexpected delimiter on line 3",
    "Row limit exceeded for this organization",
    "Too many invalid rows: aborting",
)
URL_KEYS = (
    "_upload_url",
    "_upload_csv_url",
    "_upload_json_url",
    "_errors_csv_url",
    "_errors_json_url",
    "_result_json_url",
)
FLAGS = {
    "include_upload_csv": (("_upload_csv_url", "upload.csv"),),
    "include_upload_json": (("_upload_json_url", "upload.json"),),
    "include_errors_csv": (("_errors_csv_url", "errors.csv"),),
    "include_errors_json": (("_errors_json_url", "errors.json"),),
    "include_result_json": (("_result_json_url", "result.json"),),
}
FILTERS = {"resource": CREATE_RESOURCES, "mode": MODES, "via": VIAS, "status": STATUSES}
UNSTARTED = frozenset({"requested", "expired"})
FINISHED = frozenset({"completed", "failed", "timed_out"})


@dataclasses.dataclass(eq=False)
class BatchItem:
    """A batch (or any job of uploaded rows): ``total`` rows, ``errors`` bad ones,
    halting at ``stop`` if it fails. Its files: ``upload.csv``, ``upload.json`` (the
    uploaded records), ``errors.csv``, ``errors.json`` (rejected rows), ``result.json``
    (applied rows, when ``save_result``)."""

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


@dataclasses.dataclass(frozen=True)
class BatchRequest:
    """A valid batch create: what to do, with which rows, keeping which files."""

    resource: str
    action: str
    mode: str
    duplicate_handling: str
    save_upload: bool
    save_result: bool
    upload: Upload


def check_action(reader: BodyReader, resource: str, noun: str = "batch") -> str:
    """``action``, which shipments, trackers and assets allow only as merge."""
    action = reader.choice("action", ACTIONS) or ""
    if resource in MERGE_ONLY and action and action != "merge":
        reader.fail("action", action, f"a {resource} {noun} allows the action merge only")
    return action


def read_batch(body: dict[str, Any]) -> BatchRequest:
    """The batch ``body`` asks for; BodyError naming every bad property."""
    reader = BodyReader(body)
    resource = reader.choice("resource", CREATE_RESOURCES) or ""
    action = check_action(reader, resource)
    mode = reader.choice("mode", CREATE_MODES, "mixed") or ""
    duplicates = reader.choice("duplicate_handling", DUPLICATE_HANDLING, "ignore_all") or ""
    save_upload = reader.boolean("save_upload", False)
    save_result = reader.boolean("save_result", False)
    upload = read_upload(reader, resource)
    reader.check()
    if upload is None:  # read_upload recorded why; check() has raised already
        raise BodyError(reader.errors)
    return BatchRequest(resource, action, mode, duplicates, save_upload, save_result, upload)


def seed(factory: Factory, count: int) -> list[BatchItem]:
    """``count`` batches, statuses cycling through ``STATUSES``."""
    rng, clock, items = factory.seeded, SEED_EPOCH, []
    for index in range(count):
        clock += rng.randint(300, 900)
        stamp = Stamp(clock, clock + rng.randint(1, 299))
        items.append(make(factory, rng, STATUSES[index % len(STATUSES)], stamp))
    return items


def make(factory: Factory, rng: random.Random, status: str, stamp: Stamp) -> BatchItem:
    """One batch in ``status`` with random realistic fields, rendered."""
    total = rng.randint(1, 400)
    item = BatchItem(
        data=_json(factory, rng, stamp),
        total=total,
        errors=_errors(rng, status, total),
        stop=round(rng.uniform(0.2, 0.9), 3) if status in ("failed", "timed_out") else 1.0,
        processing=round(rng.uniform(0.05, 0.95), 3),
        failure=rng.choice(FAILURES),
        save_upload=rng.random() < 0.75,
        save_result=rng.random() < 0.75,
    )
    item.render(status, fraction_for(status, item.processing, item.stop), stamp.updated_at)
    return item


def _json(factory: Factory, rng: random.Random, stamp: Stamp) -> dict[str, Any]:
    item_id = make_id(rng, "batch_")
    data: dict[str, Any] = {
        "id": item_id,
        "object": "batch",
        "organization_id": factory.organization_id,
        "resource": rng.choice(SEEDED_RESOURCES),
        "mode": rng.choice(MODES),
        "via": rng.choice(VIAS),
        "action": rng.choice(ACTIONS),
        "status": "requested",
        "duplicate_handling": rng.choice(DUPLICATE_HANDLING),
        "reason": None,
        "phases": [],
        "stats": {},
        "created_at": stamp.created_at,
        "updated_at": stamp.updated_at,
        "updated_by": rng.choice(factory.users),
        "checksum": checksum(item_id, stamp.created_at),
    }
    data.update(dict.fromkeys(URL_KEYS))
    return data


def _errors(rng: random.Random, status: str, total: int) -> int:
    if status == "failed":
        return rng.randint(1, total)
    if status == "completed" and rng.random() < 0.5:
        return 0
    return rng.randint(0, max(1, total // 10))


def static(factory: Factory, stamp: Stamp) -> BatchItem:
    """A completed batch stamped ``stamp``, from the added stream."""
    return make(factory, factory.added, "completed", stamp)


def add(factory: Factory, spec: AddSpec, now: float, after: int) -> BatchItem:
    """A new batch created at ``now`` (after ``after``), static or moving per ``spec``.

    ``spec.options``: ``errors`` (rejected rows), ``save_upload``, ``save_result``.
    """
    spec.check()
    stamp = stamp_after(now, after)
    item = make(factory, factory.added, spec.start, stamp)
    errors = spec.options.get("errors")
    item.total = item.total if spec.rows is None else spec.rows
    item.errors = min(item.total, item.errors if errors is None else errors)
    item.save_upload = spec.options.get("save_upload", True)
    item.save_result = spec.options.get("save_result", True)
    return start(factory, item, spec, now, stamp)


def start(factory: Factory, item: BatchItem, spec: AddSpec, now: float, stamp: Stamp) -> BatchItem:
    """``item`` with ``spec.fields``, rendered static or set moving per ``spec``."""
    item.data.update(spec.fields)
    if spec.final_status is None:
        fraction = fraction_for(spec.start, item.processing, item.stop)
        item.render(spec.start, fraction, stamp.updated_at)
        item.data.update(spec.fields)
        return item
    stops = spec.final_status in ("failed", "timed_out")
    item.stop = round(factory.added.uniform(0.2, 0.9), 3) if stops else 1.0
    item.job = make_job(
        CHAIN, FINALS, status=spec.start, final=spec.final_status, start=now, step=spec.step_seconds
    )
    item.view(now)
    return item


def create(context: Created, body: dict[str, Any]) -> BatchItem:
    """The batch a ``POST /v1/batches`` body asks for, moving ``context.step`` per status."""
    request = read_batch(body)
    stamp = stamp_after(context.now, context.after)
    data = _json(context.factory, context.factory.added, stamp)
    upload = request.upload
    data.update(
        resource=request.resource,
        mode=request.mode,
        via=upload.via,
        action=request.action,
        duplicate_handling=request.duplicate_handling,
        updated_by=context.factory.users[0],
        checksum=upload.checksum,
    )
    return moving_rows_job(
        data, upload, request.action, request.save_upload, request.save_result, context
    )


def moving_rows_job(
    data: dict[str, Any],
    upload: Upload,
    action: str,
    save_upload: bool,
    save_result: bool,
    context: Created,
    item_type: type[BatchItem] = BatchItem,
) -> BatchItem:
    """A created job of uploaded rows, starting as its source says and moving to its end.

    ``item_type`` is the resource's item class (a ``BatchItem`` that renders its own
    fields), for every resource whose jobs are uploaded rows.
    """
    outcome = decide(str(data["resource"]), action, upload.rows, salt_of(data["id"]))
    item = item_type(
        data=data,
        total=len(upload.rows),
        errors=len(outcome.rejected),
        stop=0.0 if upload.unreadable else 1.0,
        processing=0.0,
        failure=upload.unreadable or "",
        save_upload=save_upload,
        save_result=save_result,
        outcome=outcome,
    )
    item.job = make_job(
        CHAIN,
        FINALS,
        status="queued" if upload.via == "api" else "requested",
        final="failed" if upload.unreadable else "completed",
        start=context.now,
        step=context.step,
    )
    item.view(context.now)
    return item


def listing(reader: QueryReader, items: Collection[Any], now: float) -> tuple[Keep | None, None]:
    """``resource``, ``mode``, ``via``, ``status``: each an exact match; creation order."""
    return equals({name: reader.choice(name, allowed) for name, allowed in FILTERS.items()}), None


def rows_job_file(maker: FileMaker, item: BatchItem, name: str) -> StoredFile | None:
    """File ``name`` of a job of uploaded rows as it is now, or None if it has none."""
    return maker.file(item, name, lambda rows: _table(maker.seed, item, name, rows))


def _table(seed: int, item: BatchItem, name: str, rows: int) -> Table:
    stem = name.split(".")[0]
    salt = salt_of(seed, item.id, stem)
    if item.outcome is not None:
        return _from_outcome(item.outcome, stem, rows, csv=name.endswith(".csv"))
    if stem == "upload":
        return resource_table(str(item.data.get("resource")), rows, salt)
    if stem == "errors":
        return error_table(rows, item.total, salt)
    return result_table(rows, str(item.data.get("action")), salt)


def _from_outcome(outcome: Outcome, stem: str, rows: int, *, csv: bool) -> Table:
    """A created job's file: the rows sent, the first ``rows`` rejected or applied."""
    if stem == "upload":
        return outcome.upload_table(csv=csv)
    if stem == "errors":
        return Table(ERROR_COLUMNS, list(outcome.rejected[:rows]))
    return Table(RESULT_COLUMNS, list(outcome.applied[:rows]))


BATCHES = FakeResource(
    name="batches",
    noun="batch",
    default_limit=25,
    seeded=60,
    flags=FLAGS,
    seed=seed,
    add=add,
    create=create,
    listing=listing,
    file=rows_job_file,
    static=static,
)
