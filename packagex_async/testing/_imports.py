"""The fake's imports: ``/v1/imports``, seeded, added, created, listed and their files.

An import is a job of uploaded rows, as a batch is, so it reuses the batch's item and
movement (``_batches``) with its own JSON: a ``name``, ``created_by``,
``has_upload_file`` / ``has_errors_file``, a ``column_mapping``, the batch statuses and
seven phases (prevalidation, preparsing and transforming before the batch's parsing,
validation, processing, and cleanup for an overwrite). Its files are ``upload.csv``,
``upload.json``, ``errors.csv``, ``errors.json``; no result file.

Create checks (``POST /v1/imports``): ``resource`` (contact, group) and ``action``
(merge, overwrite, delete) are required; ``upload_mode`` is sync or async: with sync
(or none) ``data`` is required, rows or a base64 data URL (a web URL is not documented
for imports); with async ``data`` must be null. ``location_id`` a string,
``duplicate_handling`` ignore_all (default) or use_first, ``save_upload`` a boolean
(default true). The list takes no filters and pages by 10.
"""

from __future__ import annotations

import dataclasses
import random
from typing import Any

from ._batches import (
    ACTIONS,
    DUPLICATE_HANDLING,
    STATUSES,
    BatchItem,
    check_action,
    moving_rows_job,
    rows_job_file,
    start,
)
from ._body import MISSING, BodyError, BodyReader
from ._collection import Collection, Keep
from ._params import QueryReader
from ._phases import fraction_for
from ._resource import AddSpec, Created, FakeResource, stamp_after
from ._seed import SEED_EPOCH, Factory, Stamp, checksum
from ._uploads import Upload, read_upload
from ._words import EXPORT_ADJECTIVES, make_id

__all__ = ["IMPORTS", "ImportItem"]

RESOURCES = ("contact", "group")
UPLOAD_MODES = ("sync", "async")
PRE_PHASES = ("prevalidation", "preparsing", "transforming")
URL_KEYS = (
    "_upload_url",
    "_upload_csv_url",
    "_upload_json_url",
    "_errors_csv_url",
    "_errors_json_url",
)
FLAGS = {
    "include_upload_csv": (("_upload_csv_url", "upload.csv"),),
    "include_upload_json": (("_upload_json_url", "upload.json"),),
    "include_errors_csv": (("_errors_csv_url", "errors.csv"),),
    "include_errors_json": (("_errors_json_url", "errors.json"),),
}
FAILURES = ("Column mapping could not be applied", "File could not be parsed")


@dataclasses.dataclass(eq=False)
class ImportItem(BatchItem):
    """An import: a batch's rows and movement, an import's phases and file flags."""

    def render(self, status: str, fraction: float, updated_at: int) -> None:
        super().render(status, fraction, updated_at)
        parsing = self.data["phases"][0]
        before = [{**parsing, "name": name} for name in PRE_PHASES]
        files = self.files()
        self.data["phases"] = before + self.data["phases"]
        self.data["has_upload_file"] = "upload.csv" in files
        self.data["has_errors_file"] = "errors.csv" in files


@dataclasses.dataclass(frozen=True)
class ImportRequest:
    """A valid import create."""

    resource: str
    action: str
    upload_mode: str
    location_id: str | None
    duplicate_handling: str
    save_upload: bool
    upload: Upload


def read_import(body: dict[str, Any]) -> ImportRequest:
    """The import ``body`` asks for; BodyError naming every bad property."""
    reader = BodyReader(body)
    resource = reader.choice("resource", RESOURCES) or ""
    action = check_action(reader, resource, "import")
    mode = reader.choice("upload_mode", UPLOAD_MODES, "sync") or ""
    location = reader.get("location_id")
    if location is not MISSING and location is not None and not isinstance(location, str):
        reader.fail("location_id", location, "location_id must be a string")
    duplicates = reader.choice("duplicate_handling", DUPLICATE_HANDLING, "ignore_all") or ""
    save_upload = reader.boolean("save_upload", True)
    upload = _upload(reader, resource, mode)
    reader.check()
    if upload is None:  # the reason is recorded; check() has raised already
        raise BodyError(reader.errors)
    where = location if isinstance(location, str) else None
    return ImportRequest(resource, action, mode, where, duplicates, save_upload, upload)


def _upload(reader: BodyReader, resource: str, mode: str) -> Upload | None:
    """``data`` as the upload mode wants it: required for sync, null for async."""
    value = reader.get("data")
    given = value is not MISSING and value is not None
    if mode == "async":
        if given:
            shown = value[:100] if isinstance(value, str) else type(value).__name__
            reader.fail("data", shown, "data must be null when upload_mode is async")
            return None
        return Upload("file", (), checksum("async", 0))
    if not given:
        reader.fail("data", None, "data is required when upload_mode is sync")
        return None
    if isinstance(value, str) and value[:5].lower() != "data:":
        reader.fail("data", value[:100], "data must be an array of objects or a base64 file")
        return None
    return read_upload(reader, resource)


def seed(factory: Factory, count: int) -> list[ImportItem]:
    """``count`` imports, statuses cycling through the batch statuses."""
    rng, clock, items = factory.seeded, SEED_EPOCH, []
    for index in range(count):
        clock += rng.randint(300, 900)
        stamp = Stamp(clock, clock + rng.randint(1, 299))
        items.append(make(factory, rng, STATUSES[index % len(STATUSES)], stamp))
    return items


def make(factory: Factory, rng: random.Random, status: str, stamp: Stamp) -> ImportItem:
    """One import in ``status`` with random realistic fields, rendered."""
    total = rng.randint(1, 300)
    errors = rng.randint(1, total) if status == "failed" else rng.randint(0, max(1, total // 10))
    item = ImportItem(
        data=_json(factory, rng, stamp),
        total=total,
        errors=errors,
        stop=round(rng.uniform(0.2, 0.9), 3) if status in ("failed", "timed_out") else 1.0,
        processing=round(rng.uniform(0.05, 0.95), 3),
        failure=rng.choice(FAILURES),
        save_upload=rng.random() < 0.8,
        save_result=False,
    )
    item.render(status, fraction_for(status, item.processing, item.stop), stamp.updated_at)
    return item


def _json(factory: Factory, rng: random.Random, stamp: Stamp) -> dict[str, Any]:
    item_id = make_id(rng, "imp_")
    resource = rng.choice(RESOURCES)
    data: dict[str, Any] = {
        "id": item_id,
        "object": "import",
        "organization_id": factory.organization_id,
        "name": f"{rng.choice(EXPORT_ADJECTIVES)} {resource} import {rng.randint(1, 999):03d}",
        "resource": resource,
        "mode": "sync",
        "via": "file",
        "action": rng.choice(ACTIONS),
        "status": "requested",
        "duplicate_handling": rng.choice(DUPLICATE_HANDLING),
        "location_id": None,
        "reason": None,
        "phases": [],
        "stats": {},
        "column_mapping": {"name": "Name", "email": "Email"},
        "has_upload_file": False,
        "has_errors_file": False,
        "created_at": stamp.created_at,
        "updated_at": stamp.updated_at,
        "created_by": rng.choice(factory.users),
        "updated_by": rng.choice(factory.users),
        "checksum": checksum(item_id, stamp.created_at),
    }
    data.update(dict.fromkeys(URL_KEYS))
    return data


def static(factory: Factory, stamp: Stamp) -> ImportItem:
    """A completed import stamped ``stamp``, from the added stream."""
    return make(factory, factory.added, "completed", stamp)


def add(factory: Factory, spec: AddSpec, now: float, after: int) -> BatchItem:
    """A new import at ``now``, static or moving per ``spec`` (options as a batch's)."""
    spec.check()
    stamp = stamp_after(now, after)
    item = make(factory, factory.added, spec.start, stamp)
    errors = spec.options.get("errors")
    item.total = item.total if spec.rows is None else spec.rows
    item.errors = min(item.total, item.errors if errors is None else errors)
    item.save_upload = spec.options.get("save_upload", True)
    return start(factory, item, spec, now, stamp)


def create(context: Created, body: dict[str, Any]) -> BatchItem:
    """The import a ``POST /v1/imports`` body asks for, moving ``context.step`` per status."""
    request = read_import(body)
    stamp = stamp_after(context.now, context.after)
    data = _json(context.factory, context.factory.added, stamp)
    data.update(
        name=f"{request.resource.capitalize()} import",
        resource=request.resource,
        mode=request.upload_mode,
        via=request.upload.via,
        action=request.action,
        duplicate_handling=request.duplicate_handling,
        location_id=request.location_id,
        column_mapping=None,
        created_by=context.factory.users[0],
        updated_by=context.factory.users[0],
        checksum=request.upload.checksum,
    )
    if request.upload_mode == "async":
        return _waiting(data, context)
    return moving_rows_job(
        data, request.upload, request.action, request.save_upload, False, context, ImportItem
    )


def _waiting(data: dict[str, Any], context: Created) -> ImportItem:
    """An async import: no rows yet, so it stays ``requested`` (the fake takes no upload)."""
    item = ImportItem(data, 0, 0, 1.0, 0.0, "", save_upload=False, save_result=False)
    item.render("requested", 0.0, int(data["updated_at"]))
    return item


def listing(reader: QueryReader, items: Collection[Any], now: float) -> tuple[Keep | None, None]:
    """No filters are documented for imports: every import, in creation order."""
    return None, None


IMPORTS = FakeResource(
    name="imports",
    noun="import",
    default_limit=10,
    seeded=20,
    flags=FLAGS,
    seed=seed,
    add=add,
    create=create,
    listing=listing,
    file=rows_job_file,
    static=static,
)
