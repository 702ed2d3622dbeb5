"""Vocabulary and id helpers shared by the seeded data and the generated files.

Word lists are varied on purpose: export names must make ``search`` testable and file
rows should look like real contacts, shipments and trackers.
"""

from __future__ import annotations

import random
import string

__all__ = [
    "BASE62",
    "CARRIERS",
    "CITIES",
    "COMPANIES",
    "EXPORT_ADJECTIVES",
    "EXPORT_NOUNS",
    "FIRST_NAMES",
    "FULFILLMENT_STATUSES",
    "LAST_NAMES",
    "PRODUCTS",
    "SHIPMENT_STATUSES",
    "make_id",
]

BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase

FIRST_NAMES = (
    "Ada", "Bilal", "Chen", "Dana", "Elif", "Farah", "Goran", "Hana", "Ivan", "Jaya",
    "Kofi", "Lena", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq",
)  # fmt: skip
LAST_NAMES = (
    "Abbott", "Berg", "Costa", "Dubois", "Eze", "Fischer", "Garcia", "Haddad", "Ito",
    "Jensen", "Kowalski", "Lopez", "Moreau", "Nakamura", "Okafor", "Petrov", "Rossi",
)  # fmt: skip
COMPANIES = ("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne")
CITIES = (
    ("Austin", "US"), ("Berlin", "DE"), ("Lagos", "NG"), ("Lyon", "FR"), ("Osaka", "JP"),
    ("Porto", "PT"), ("Seattle", "US"), ("Toronto", "CA"), ("Warsaw", "PL"),
)  # fmt: skip
CARRIERS = ("ups", "fedex", "usps", "dhl", "ontrac", "lasership")
FULFILLMENT_STATUSES = ("pending", "picking", "packed", "shipped", "cancelled")
PRODUCTS = (
    "Pallet jack", "Label printer", "Hand scanner", "Tote, blue", "Cold-chain box",
    "Shelf unit", "Tape gun", "Scale, 150 kg", "Dolly", "Stretch wrap",
)  # fmt: skip
SHIPMENT_STATUSES = ("pre_transit", "in_transit", "out_for_delivery", "delivered", "exception")
EXPORT_ADJECTIVES = (
    "Weekly", "Monthly", "Quarterly", "Nightly", "Holiday", "Audit", "Archive", "Urgent",
    "Warehouse", "Returns", "Inbound", "Outbound",
)  # fmt: skip
EXPORT_NOUNS = (
    "contacts", "groups", "locations", "shipments", "trackers", "labels", "report",
    "backup", "snapshot", "reconciliation",
)  # fmt: skip


def make_id(rng: random.Random, prefix: str) -> str:
    """A PackageX-style id: ``prefix`` then 22 base62 characters."""
    return prefix + "".join(rng.choices(BASE62, k=22))
