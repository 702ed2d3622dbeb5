"""What the CLI knows about batches and exports: columns, files, filters.

The file names and ``--include`` names are read from the SDK's own signatures, so
a file the SDK adds shows up here without a second list to keep in sync.
"""

from __future__ import annotations

import argparse
import inspect
import typing
from collections.abc import Callable
from typing import Any

import attrs

from .._client import PackageX
from ..models import Batch, Export
from ..resources import Batches, Exports

__all__ = ["BATCHES", "EXPORTS", "KINDS", "Kind"]


@attrs.frozen
class Kind:
    """One resource as the CLI presents it."""

    name: str
    noun: str
    model: type[Batch] | type[Export]
    columns: tuple[str, ...]
    """The compact table's columns; JSON and CSV carry every field."""
    includes: tuple[str, ...]
    """``get --include`` names, each the SDK's ``include_<name>`` flag."""
    files: tuple[str, ...]
    """``download FILE`` names, as the SDK's ``download()`` takes them."""
    filters: tuple[str, ...]
    """``list`` options passed to the SDK's ``list()`` under the same name."""
    api: Callable[[PackageX], Batches | Exports]

    def list_filters(self, args: argparse.Namespace) -> dict[str, Any]:
        """The filter options the user gave, as ``list()`` keyword arguments."""
        given = {name: getattr(args, name) for name in self.filters}
        return {name: value for name, value in given.items() if value is not None}


def _includes(resource: type[Batches | Exports]) -> tuple[str, ...]:
    names = inspect.signature(resource.retrieve).parameters
    return tuple(name.removeprefix("include_") for name in names if name.startswith("include_"))


def _files(resource: type[Batches | Exports]) -> tuple[str, ...]:
    file_type = typing.get_type_hints(resource.download)["file"]
    return tuple(str(name) for name in typing.get_args(file_type))


BATCHES = Kind(
    name="batches",
    noun="batch",
    model=Batch,
    columns=("id", "status", "resource", "mode", "via", "created_at"),
    includes=_includes(Batches),
    files=_files(Batches),
    filters=("resource", "mode", "via", "status"),
    api=lambda px: px.batches,
)

EXPORTS = Kind(
    name="exports",
    noun="export",
    model=Export,
    columns=("id", "name", "status", "resource", "count_total", "created_at"),
    includes=_includes(Exports),
    files=_files(Exports),
    filters=("order_by", "direction", "resource", "statuses", "search"),
    api=lambda px: px.exports,
)

KINDS = (BATCHES, EXPORTS)
