"""The bytes storage serves for each item file, built on demand and cached.

Which files an item has, and how many rows each holds, comes from the item
(``files()``), so a file appears exactly when the API would hand out its URL; what a
file holds is rendered by the item's resource module (``_batches``, ``_exports``...).
Built files are kept in a small LRU bounded by bytes, so a 100,000-row download is
rendered once, not per request.
"""

from __future__ import annotations

import collections
import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from ._rows import Table, to_csv, to_json

if TYPE_CHECKING:
    from ._resource import Item

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


class FileMaker:
    """Renders item files from the fake's ``seed``; remembers recent ones."""

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._cache: collections.OrderedDict[tuple[str, str, int], StoredFile]
        self._cache = collections.OrderedDict()
        self._cached_bytes = 0

    @property
    def seed(self) -> int:
        """The fake's seed, which salts every generated row."""
        return self._seed

    def file(self, item: Item, name: str, table: Callable[[int], Table]) -> StoredFile | None:
        """File ``name`` of ``item`` as it is now (``table(rows)`` renders it), or None."""
        rows = item.files().get(name)
        if rows is None:
            return None
        return self._get((item.id, name, rows), lambda: _encode(name, table(rows)))

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
