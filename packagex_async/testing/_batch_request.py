"""``POST /v1/batches`` bodies: ``{resource, action, data?, mode?, save_upload?,
save_result?, duplicate_handling?}`` checked and read.

``resource`` (contact, group, shipment, tracker, asset) and ``action`` (merge, overwrite,
delete) are required; shipments, trackers and assets allow merge only (a 400 naming
``action``). ``mode`` is sync or mixed (default mixed: the create API does not offer
async), ``save_upload`` / ``save_result`` JSON booleans (default false: nothing kept),
``duplicate_handling`` ignore_all (default) or use_first. ``data`` is read by
``_uploads``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ._body import BodyError, BodyReader
from ._data import ACTIONS, BATCH_CREATE_RESOURCES, DUPLICATE_HANDLING
from ._uploads import Upload, read_upload

__all__ = ["CREATE_MODES", "MERGE_ONLY", "BatchRequest", "read_batch"]

MERGE_ONLY = ("shipment", "tracker", "asset")
CREATE_MODES = ("sync", "mixed")


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


def _action(reader: BodyReader, resource: str) -> str:
    action = reader.choice("action", ACTIONS) or ""
    if resource in MERGE_ONLY and action and action != "merge":
        reader.fail("action", action, f"a {resource} batch allows the action merge only")
    return action


def read_batch(body: dict[str, Any]) -> BatchRequest:
    """The batch ``body`` asks for; BodyError naming every bad property."""
    reader = BodyReader(body)
    resource = reader.choice("resource", BATCH_CREATE_RESOURCES) or ""
    action = _action(reader, resource)
    mode = reader.choice("mode", CREATE_MODES, "mixed") or ""
    duplicates = reader.choice("duplicate_handling", DUPLICATE_HANDLING, "ignore_all") or ""
    save_upload = reader.boolean("save_upload", False)
    save_result = reader.boolean("save_result", False)
    upload = read_upload(reader, resource)
    reader.check()
    if upload is None:  # read_upload recorded why; check() has raised already
        raise BodyError(reader.errors)
    return BatchRequest(resource, action, mode, duplicates, save_upload, save_result, upload)
