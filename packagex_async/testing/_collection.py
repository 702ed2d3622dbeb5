"""The fake's database: one resource's items in creation order, an id index and cached sort orders.

Listing without filters slices the stored order and renders only the requested page, so
listing 20,000 batches page by page costs O(limit) per page. Filters scan (O(N)), as a
real database without an index would. Sort orders are computed once per change of the
collection and reused, except ``updated_at`` while jobs are still moving.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from ._resource import Item

__all__ = ["Collection", "Keep", "equals"]

T = TypeVar("T", bound="Item")
Keep = Callable[[dict[str, Any]], bool]


def equals(wanted: dict[str, str | None]) -> Keep | None:
    """A filter keeping views whose fields equal every given value (None: no filter)."""
    given = [(name, value) for name, value in wanted.items() if value is not None]
    if not given:
        return None
    return lambda view: all(view.get(name) == value for name, value in given)


def _number(value: Any) -> float:
    """A sortable number for a field (non-numbers, e.g. test overrides, sort as 0)."""
    return float(value) if isinstance(value, (int, float)) else 0.0


class Collection(Generic[T]):
    """Items of one kind, oldest first."""

    def __init__(self, items: list[T]) -> None:
        self.items: list[T] = items
        self.by_id: dict[str, T] = {item.id: item for item in items}
        self._orders: dict[tuple[str, bool], list[T]] = {}
        self._moving: list[T] = [item for item in items if item.job is not None]

    def __len__(self) -> int:
        return len(self.items)

    def get(self, item_id: str) -> T | None:
        """The item with ``item_id``, or None."""
        return self.by_id.get(item_id)

    def last_created(self) -> int:
        """The newest ``created_at`` (0 when empty)."""
        return int(self.items[-1].data["created_at"]) if self.items else 0

    def first_created(self) -> int:
        """The oldest ``created_at`` (now-ish when empty)."""
        return int(self.items[0].data["created_at"]) if self.items else 1_700_000_000

    def append(self, item: T) -> None:
        """Add ``item`` as the newest."""
        self.items.append(item)
        self._added([item])

    def prepend(self, items: Sequence[T]) -> None:
        """Add ``items`` (oldest first) before every existing item."""
        self.items[:0] = items
        self._added(items)

    def _added(self, items: Sequence[T]) -> None:
        self.by_id.update((item.id, item) for item in items)
        self._moving.extend(item for item in items if item.job is not None)
        self._orders.clear()

    def views(self, now: float) -> list[dict[str, Any]]:
        """Every item's JSON at ``now``, oldest first."""
        return [item.view(now) for item in self.items]

    def ordered(self, key: str, descending: bool, now: float) -> Sequence[T]:
        """Items sorted by ``key`` (ties by creation order; desc is the exact reverse)."""
        self._moving = [item for item in self._moving if item.job is not None]
        if key == "updated_at" and self._moving:
            return self._sort(key, descending, now)
        cached = self._orders.get((key, descending))
        if cached is None:
            cached = self._orders[(key, descending)] = self._sort(key, descending, now)
        return cached

    def _sort(self, key: str, descending: bool, now: float) -> list[T]:
        order = sorted(self.items, key=lambda item: _number(item.view(now).get(key)))
        if descending:
            order.reverse()
        return order

    def select(
        self, now: float, page: int, limit: int, keep: Keep | None, order: Sequence[T] | None
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of JSON views (of items passing ``keep``) and the matching total."""
        source = self.items if order is None else order
        start = (page - 1) * limit
        if keep is None:
            return [item.view(now) for item in source[start : start + limit]], len(source)
        matching = [view for view in (item.view(now) for item in source) if keep(view)]
        return matching[start : start + limit], len(matching)
