"""What a created batch does with its rows: which are rejected, what the others become.

A row is rejected when its resource's required key (``REQUIRED``: a contact and a group
need ``name``, a shipment and a tracker ``tracking_number``, an asset ``name``) is
missing, null or blank; a rejected row is reported in the errors files, never a 400.
Applied rows are ``deleted`` (delete), ``overwritten`` (overwrite) or, for merge,
``updated`` when the row names an ``id`` and ``created`` otherwise; ``stats`` count the
same results. ``duplicate_handling`` is recorded on the batch, not applied.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import orjson

from ._rows import Row, Table

__all__ = ["REQUIRED", "Outcome", "decide"]

REQUIRED = {
    "contact": "name",
    "group": "name",
    "shipment": "tracking_number",
    "tracker": "tracking_number",
    "asset": "name",
}
PREFIXES = {
    "contact": "ctc_",
    "group": "grp_",
    "shipment": "shp_",
    "tracker": "trk_",
    "asset": "ast_",
}


@dataclasses.dataclass(frozen=True)
class Outcome:
    """The uploaded rows, the rejected ones (row, field, message) and the applied ones."""

    rows: tuple[dict[str, Any], ...]
    rejected: tuple[Row, ...]
    applied: tuple[Row, ...]

    def upload_table(self, *, csv: bool) -> Table:
        """The rows as uploaded; every key seen is a column (nested values as JSON in CSV)."""
        columns = list(dict.fromkeys(key for row in self.rows for key in row))
        cell = _csv_cell if csv else _same
        return Table(columns, [tuple(cell(row.get(c)) for c in columns) for row in self.rows])


def _same(value: Any) -> Any:
    return value


def _csv_cell(value: Any) -> Any:
    if isinstance(value, (dict, list, bool)):
        return orjson.dumps(value).decode()
    return value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _result(action: str, row: dict[str, Any]) -> str:
    if action in ("delete", "overwrite"):
        return "deleted" if action == "delete" else "overwritten"
    return "updated" if not _blank(row.get("id")) else "created"


def decide(resource: str, action: str, rows: Sequence[dict[str, Any]], salt: int) -> Outcome:
    """Split ``rows`` (1-based in the files) into rejected and applied."""
    required = REQUIRED.get(resource, "name")
    prefix = PREFIXES.get(resource, "obj_")
    rejected: list[Row] = []
    applied: list[Row] = []
    for number, row in enumerate(rows, start=1):
        if _blank(row.get(required)):
            rejected.append((number, required, f"{required} is required"))
            continue
        given = row.get("id")
        record_id = str(given) if not _blank(given) else f"{prefix}{salt:08x}{number:07d}"
        applied.append((number, record_id, _result(action, row)))
    return Outcome(tuple(rows), tuple(rejected), tuple(applied))
