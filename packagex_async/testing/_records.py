"""The records exports read: a fixed, seeded set of ``RECORD_COUNT`` records per resource.

A created export selects from these (date filters, order, page and limit), so two exports
of the same resource agree on every record, as two exports of one real account would.
Records are the resource's file rows (``_rows``) plus ``created_at`` / ``updated_at`` in
epoch seconds, spread over 2023 and 2024 so date filters such as ``gte:2024-01-01``
keep a predictable part (about half).
"""

from __future__ import annotations

from ._rows import GENERIC, RESOURCES, Table, resource_table, salt_of

__all__ = ["DATE_COLUMNS", "RECORD_COUNT", "record_columns", "records"]

RECORD_COUNT = 250
RECORDS_FROM = 1_672_531_200  # 2023-01-01T00:00:00Z
RECORD_SPACING = 730 * 86_400 // RECORD_COUNT  # two years, one record every ~2.9 days
DATE_COLUMNS = ("created_at", "updated_at")


def record_columns(resource: str) -> tuple[str, ...]:
    """Every column a record of ``resource`` has, in the default export order."""
    columns, _ = RESOURCES.get(resource, GENERIC)
    return (*columns, *DATE_COLUMNS)


def _stamps(i: int, salt: int) -> tuple[int, int]:
    """Record ``i``'s created_at (strictly increasing with ``i``) and updated_at."""
    created = RECORDS_FROM + i * RECORD_SPACING + (salt + i * 7_919) % 3_600
    return created, created + (salt // 3 + i * 104_729) % (30 * 86_400)


def records(resource: str, seed: int) -> Table:
    """All records of ``resource`` for the fake seeded ``seed``, oldest first."""
    salt = salt_of(seed, "records", resource)
    base = resource_table(resource, RECORD_COUNT, salt)
    rows = [(*row, *_stamps(i, salt)) for i, row in enumerate(base.rows)]
    return Table(record_columns(resource), rows)
