"""Seeded, deterministic batches and exports.

One ``random.Random(seed)`` stream makes the seeded items, so the same seed gives the same
ids, fields and files on every run and platform; items added later draw from a second
stream, so adding items never changes the seeded ones. Seeded statuses cycle through
every documented status. ``created_at`` is strictly increasing; a batch's ``updated_at``
is too (it falls before the next batch's ``created_at``), while an export's
``updated_at`` wanders up to a day later so that ``order_by=updated_at`` differs from
creation order.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
from typing import Any

from ._items import BatchItem, ExportItem
from ._phases import fraction_for
from ._words import EXPORT_ADJECTIVES, EXPORT_NOUNS, make_id

__all__ = [
    "ACTIONS",
    "BATCH_CREATE_RESOURCES",
    "BATCH_MODES",
    "BATCH_RESOURCES",
    "BATCH_STATUSES",
    "DUPLICATE_HANDLING",
    "EXPORTABLE_RESOURCES",
    "EXPORT_RESOURCES",
    "EXPORT_STATUSES",
    "VIAS",
    "Factory",
    "Stamp",
]

BATCH_RESOURCES = ("contact", "group", "shipment", "tracker")  # seeded batches
BATCH_CREATE_RESOURCES = (*BATCH_RESOURCES, "asset")  # the overview adds asset
BATCH_MODES = ("sync", "mixed", "async")
VIAS = ("api", "file")
ACTIONS = ("merge", "overwrite", "delete")
DUPLICATE_HANDLING = ("ignore_all", "use_first")
BATCH_STATUSES = (
    "requested",
    "queued",
    "processing",
    "completed",
    "failed",
    "timed_out",
    "expired",
)
EXPORT_RESOURCES = (
    "contact",
    "group",
    "location",
    "shipment",
    "tracker",
    "shipping_label_inference",
)  # seeded exports; the list page names these six
EXPORTABLE_RESOURCES = (*EXPORT_RESOURCES, "fulfillment", "item", "manifest", "asset")
EXPORT_STATUSES = ("queued", "processing", "completed", "failed", "timed_out")
FAILURES = (
    "File could not be parsed: unexpected delimiter on line 3",
    "Row limit exceeded for this organization",
    "Too many invalid rows: aborting",
)
SEED_EPOCH = 1_700_000_000
SEED_FILE_ROWS = 200  # a seeded export's files hold at most this many data rows
URL_KEYS_BATCH = (
    "_upload_url",
    "_upload_csv_url",
    "_upload_json_url",
    "_errors_csv_url",
    "_errors_json_url",
    "_result_json_url",
)
URL_KEYS_EXPORT = ("_json_url", "_csv_url", "_csv_error_url", "_csv_sanitized_url")


@dataclasses.dataclass(frozen=True)
class Stamp:
    """When an item was made: its ``created_at`` and (static items) ``updated_at``."""

    created_at: int
    updated_at: int


def _checksum(item_id: str, created_at: int) -> str:
    return hashlib.sha256(f"{item_id}:{created_at}".encode()).hexdigest()


class Factory:
    """Makes the items of one fake from its seed (seeded stream and added stream)."""

    def __init__(self, seed: int) -> None:
        self.seeded = random.Random(seed)
        self.added = random.Random(f"{seed}/added")
        self.organization_id = make_id(self.seeded, "org_")
        self.users = tuple(make_id(self.seeded, "user_") for _ in range(3))

    def seed_batches(self, count: int) -> list[BatchItem]:
        """``count`` batches, statuses cycling through BATCH_STATUSES."""
        rng, clock, items = self.seeded, SEED_EPOCH, []
        for index in range(count):
            clock += rng.randint(300, 900)
            stamp = Stamp(clock, clock + rng.randint(1, 299))
            items.append(self.batch(rng, BATCH_STATUSES[index % len(BATCH_STATUSES)], stamp))
        return items

    def seed_exports(self, count: int) -> list[ExportItem]:
        """``count`` exports, statuses cycling through EXPORT_STATUSES."""
        rng, clock, items = self.seeded, SEED_EPOCH, []
        for index in range(count):
            clock += rng.randint(300, 900)
            stamp = Stamp(clock, clock + rng.randint(0, 86_400))
            items.append(self.export(rng, EXPORT_STATUSES[index % len(EXPORT_STATUSES)], stamp))
        return items

    def batch(self, rng: random.Random, status: str, stamp: Stamp) -> BatchItem:
        """One batch in ``status`` with random realistic fields, rendered."""
        total = rng.randint(1, 400)
        item = BatchItem(
            data=self._batch_json(rng, stamp),
            total=total,
            errors=self._batch_errors(rng, status, total),
            stop=round(rng.uniform(0.2, 0.9), 3) if status in ("failed", "timed_out") else 1.0,
            processing=round(rng.uniform(0.05, 0.95), 3),
            failure=rng.choice(FAILURES),
            save_upload=rng.random() < 0.75,
            save_result=rng.random() < 0.75,
        )
        item.render(status, _static_fraction(item, status), stamp.updated_at)
        return item

    def export(self, rng: random.Random, status: str, stamp: Stamp) -> ExportItem:
        """One export in ``status`` with random realistic fields."""
        count_total = rng.randint(0, 5_000)
        data: dict[str, Any] = {
            "id": make_id(rng, "exp_"),
            "object": "export",
            "organization_id": self.organization_id,
            "name": f"{rng.choice(EXPORT_ADJECTIVES)} {rng.choice(EXPORT_NOUNS)} "
            f"{rng.randint(1, 999):03d}",
            "resource": rng.choice(EXPORT_RESOURCES),
            "status": status,
            "count_batches": rng.randint(1, 12),
            "count_total": count_total,
            "created_at": stamp.created_at,
            "updated_at": stamp.updated_at,
        }
        data.update(dict.fromkeys(URL_KEYS_EXPORT))
        rows = min(count_total, SEED_FILE_ROWS)
        return ExportItem(data, rows, rng.randint(0, 3), rng.randint(0, 2))

    def _batch_json(self, rng: random.Random, stamp: Stamp) -> dict[str, Any]:
        item_id = make_id(rng, "batch_")
        data: dict[str, Any] = {
            "id": item_id,
            "object": "batch",
            "organization_id": self.organization_id,
            "resource": rng.choice(BATCH_RESOURCES),
            "mode": rng.choice(BATCH_MODES),
            "via": rng.choice(VIAS),
            "action": rng.choice(ACTIONS),
            "status": "requested",
            "duplicate_handling": rng.choice(DUPLICATE_HANDLING),
            "reason": None,
            "phases": [],
            "stats": {},
            "created_at": stamp.created_at,
            "updated_at": stamp.updated_at,
            "updated_by": rng.choice(self.users),
            "checksum": _checksum(item_id, stamp.created_at),
        }
        data.update(dict.fromkeys(URL_KEYS_BATCH))
        return data

    @staticmethod
    def _batch_errors(rng: random.Random, status: str, total: int) -> int:
        if status == "failed":
            return rng.randint(1, total)
        if status == "completed" and rng.random() < 0.5:
            return 0
        return rng.randint(0, max(1, total // 10))


def _static_fraction(item: BatchItem, status: str) -> float:
    return fraction_for(status, item.processing, item.stop)
