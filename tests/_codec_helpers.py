"""Throwaway models for the codec's tests."""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["model_with"]

_made = 0


def model_with(field: Any, *, frozen: bool = False) -> type[Any]:
    """A new attrs model: a required ``id`` and ``field`` as ``value``, each call its own
    class (the codec caches its readers per class)."""
    global _made
    _made += 1
    fields = {"id": attrs.field(type=str), "value": field}
    return attrs.make_class(f"Throwaway{_made}", fields, frozen=frozen, slots=True)
