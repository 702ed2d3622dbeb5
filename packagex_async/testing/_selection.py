"""What a created export holds: its records selected per request, rendered per file.

The selection is made once, when the export is created (filters, order, page and limit
over ``_records``, then the requested columns in the requested order), and kept with
dates as epoch seconds; each file renders them: ISO 8601 in UTC for ``data.json``, in
``csv_field_options.timezone`` for ``data.csv``. A column the resource does not have is
written empty (CSV) or null (JSON), so the files always hold exactly the columns asked.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ._dates import UTC, iso, zone
from ._export_request import ExportQuery
from ._records import DATE_COLUMNS, records
from ._rows import Table

__all__ = ["Selection", "select"]


@dataclasses.dataclass(frozen=True)
class Selection:
    """The selected records (dates in epoch seconds) and the CSV time zone name."""

    table: Table
    timezone: str | None

    def __len__(self) -> int:
        return len(self.table.rows)

    def render(self, *, csv: bool) -> Table:
        """The records as a file shows them: ISO dates, in the CSV zone for CSV."""
        tz = zone(self.timezone) if csv else UTC
        dated = {i for i, name in enumerate(self.table.columns) if name in DATE_COLUMNS}

        def cell(i: int, value: Any) -> Any:
            return iso(value, tz) if i in dated and isinstance(value, int) else value

        rows = [tuple(cell(i, value) for i, value in enumerate(row)) for row in self.table.rows]
        return Table(self.table.columns, rows)


def _filtered(query: ExportQuery, table: Table) -> list[tuple[Any, ...]]:
    index = {name: i for i, name in enumerate(table.columns)}
    rows = [row for row in table.rows if all(f.keep(row[index[f.field]]) for f in query.dates)]
    key = index[query.order_by]
    rows.sort(key=lambda row: row[key], reverse=query.descending)
    if query.limit is None:
        return rows
    start = (query.page - 1) * query.limit
    return rows[start : start + query.limit]


def select(query: ExportQuery, seed: int) -> Selection:
    """The records ``query`` exports from the fake seeded ``seed``."""
    table = records(query.resource, seed)
    rows = _filtered(query, table)
    columns = query.columns or table.columns
    index = {name: i for i, name in enumerate(table.columns)}
    picks = [index.get(name) for name in columns]
    projected = [tuple(None if p is None else row[p] for p in picks) for row in rows]
    return Selection(Table(columns, projected), query.timezone)
