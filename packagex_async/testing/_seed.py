"""The seed every resource draws from: two random streams, an organisation, its users.

One ``random.Random(seed)`` stream makes the seeded items (each resource in registry
order), so the same seed gives the same ids, fields and files on every run and
platform; items added later draw from a second stream, so adding items never changes
the seeded ones. ``created_at`` is strictly increasing within a resource.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random

from ._words import make_id

__all__ = ["SEED_EPOCH", "SEED_FILE_ROWS", "Factory", "Stamp", "checksum"]

SEED_EPOCH = 1_700_000_000
SEED_FILE_ROWS = 200  # a seeded job's files hold at most this many data rows


@dataclasses.dataclass(frozen=True)
class Stamp:
    """When an item was made: its ``created_at`` and (static items) ``updated_at``."""

    created_at: int
    updated_at: int


def checksum(item_id: str, created_at: int) -> str:
    """A stable checksum for an uploaded file, as a batch or import reports it."""
    return hashlib.sha256(f"{item_id}:{created_at}".encode()).hexdigest()


class Factory:
    """The random streams of one fake (seeded and added) and its organisation."""

    def __init__(self, seed: int) -> None:
        self.seeded = random.Random(seed)
        self.added = random.Random(f"{seed}/added")
        self.organization_id = make_id(self.seeded, "org_")
        self.users = tuple(make_id(self.seeded, "user_") for _ in range(3))
