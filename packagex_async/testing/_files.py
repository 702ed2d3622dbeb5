"""The bytes storage serves for each item file, built on demand and cached.

File names per item (what storage paths end with):

- batch: ``upload.csv``, ``upload.json`` (the uploaded records), ``errors.csv``,
  ``errors.json`` (rejected rows), ``result.json`` (applied rows);
- export: ``data.json`` (array of objects), ``data.csv`` (header + rows), ``errors.csv``,
  ``sanitized.csv``.

Which files exist, and how many rows each holds, comes from the item (``files()``), so a
file appears exactly when the API would hand out its URL. Items created through the API
serve what was asked: a batch's rows as sent (and its real rejected and applied rows),
an export's selected records in the requested columns. Built files are kept in a
small LRU bounded by bytes, so a 100,000-row download is rendered once, not per request.
"""

from __future__ import annotations

import collections
import dataclasses
from collections.abc import Callable

from ._items import BatchItem, ExportItem
from ._outcome import Outcome
from ._rows import (
    ERROR_COLUMNS,
    RESULT_COLUMNS,
    Table,
    error_table,
    export_error_table,
    resource_table,
    result_table,
    salt_of,
    sanitized_table,
    to_csv,
    to_json,
)

__all__ = ["FileMaker", "StoredFile"]

CACHE_BYTES = 64 * 1024 * 1024
CSV = "text/csv"
JSON = "application/json"


@dataclasses.dataclass(frozen=True)
class StoredFile:
    """A file's bytes and media type."""

    body: bytes
    content_type: str


def _encode(name: str, table: Table) -> StoredFile:
    if name.endswith(".json"):
        return StoredFile(to_json(table), JSON)
    return StoredFile(to_csv(table), CSV)


def _from_outcome(outcome: Outcome, stem: str, rows: int, *, csv: bool) -> Table:
    """A created batch's file: the rows sent, the first ``rows`` rejected or applied."""
    if stem == "upload":
        return outcome.upload_table(csv=csv)
    if stem == "errors":
        return Table(ERROR_COLUMNS, list(outcome.rejected[:rows]))
    return Table(RESULT_COLUMNS, list(outcome.applied[:rows]))


class FileMaker:
    """Renders item files from the fake's ``seed``; remembers recent ones."""

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._cache: collections.OrderedDict[tuple[str, str, int], StoredFile]
        self._cache = collections.OrderedDict()
        self._cached_bytes = 0

    def batch(self, item: BatchItem, name: str) -> StoredFile | None:
        """Batch file ``name`` as it is now, or None if the batch has no such file."""
        rows = item.files().get(name)
        if rows is None:
            return None
        return self._get((item.id, name, rows), lambda: _encode(name, self._batch(item, name)))

    def export(self, item: ExportItem, name: str) -> StoredFile | None:
        """Export file ``name``, or None if the export has no such file (yet)."""
        rows = item.files().get(name)
        if rows is None:
            return None
        return self._get((item.id, name, rows), lambda: _encode(name, self._export(item, name)))

    def _batch(self, item: BatchItem, name: str) -> Table:
        stem = name.split(".")[0]
        salt, rows = salt_of(self._seed, item.id, stem), item.files()[name]
        if item.outcome is not None:
            return _from_outcome(item.outcome, stem, rows, csv=name.endswith(".csv"))
        if stem == "upload":
            return resource_table(str(item.data.get("resource")), rows, salt)
        if stem == "errors":
            return error_table(rows, item.total, salt)
        return result_table(rows, str(item.data.get("action")), salt)

    def _export(self, item: ExportItem, name: str) -> Table:
        stem, resource = name.split(".")[0], str(item.data.get("resource"))
        salt, rows = salt_of(self._seed, item.id, stem), item.files()[name]
        if stem == "data" and item.selection is not None:
            return item.selection.render(csv=name.endswith(".csv"))
        if stem == "data":
            return resource_table(resource, rows, salt)
        if stem == "errors":
            return export_error_table(rows, salt)
        return sanitized_table(resource, rows, salt)

    def _get(self, key: tuple[str, str, int], build: Callable[[], StoredFile]) -> StoredFile:
        found = self._cache.get(key)
        if found is not None:
            self._cache.move_to_end(key)
            return found
        made = self._cache[key] = build()
        self._cached_bytes += len(made.body)
        while self._cached_bytes > CACHE_BYTES and len(self._cache) > 1:
            _, dropped = self._cache.popitem(last=False)
            self._cached_bytes -= len(dropped.body)
        return made
