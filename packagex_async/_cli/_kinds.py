"""What the CLI knows about batches and exports: columns, files, filters.

Files, ``--include`` names, filters and their choices come from the SDK's
``ResourceSpec``, so a file or filter the SDK adds shows up here without a second
list to keep in sync; only the table's columns are the CLI's own.
"""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

from .. import _specs as specs
from .._specs import Filter, ResourceSpec
from ..models import Batch, Export
from ._exits import USAGE, CLIError
from ._records import field_names

if TYPE_CHECKING:  # the client and its resources load aiohttp: only commands that call them do
    from .._client import PackageX
    from ..resources import Batches, Exports

__all__ = ["BATCHES", "EXPORTS", "KINDS", "Kind"]


@attrs.frozen
class Kind:
    """One resource as the CLI presents it."""

    spec: ResourceSpec
    columns: tuple[str, ...]
    """The compact table's columns; JSON and CSV carry every field."""
    api: Callable[[PackageX], Batches | Exports]

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def noun(self) -> str:
        return self.spec.noun

    @property
    def model(self) -> type[Batch] | type[Export]:
        model: type[Batch] | type[Export] = self.spec.model
        return model

    @property
    def includes(self) -> tuple[str, ...]:
        """``get --include`` names, each the SDK's ``include_<name>`` flag."""
        return tuple(flag.removeprefix("include_") for flag in self.spec.include_flags)

    @property
    def files(self) -> tuple[str, ...]:
        """``download FILE`` names, as the SDK's ``download()`` takes them."""
        return self.spec.file_names

    @property
    def filters(self) -> tuple[Filter, ...]:
        """``list`` options passed to the SDK's ``list()`` under the same name."""
        return self.spec.filters

    def fields(self, chosen: list[str] | None) -> tuple[str, ...] | None:
        """``--fields`` checked against the model's fields (None: the format's default)."""
        if chosen is None:
            return None
        known = field_names(self.model)
        for name in chosen:
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise CLIError(
                    f"--fields: {self.name} have no field {name!r}{hint}; "
                    f"fields: {', '.join(known)}",
                    USAGE,
                )
        if not chosen:
            raise CLIError("--fields needs at least one field name", USAGE)
        return tuple(chosen)

    def list_filters(self, args: argparse.Namespace) -> dict[str, Any]:
        """The filter options the user gave, as ``list()`` keyword arguments."""
        given = {f.name: getattr(args, f.name) for f in self.filters}
        return {name: value for name, value in given.items() if value is not None}


BATCHES = Kind(
    spec=specs.BATCHES,
    columns=("id", "status", "resource", "mode", "via", "created_at"),
    api=lambda px: px.batches,
)

EXPORTS = Kind(
    spec=specs.EXPORTS,
    columns=("id", "name", "status", "resource", "count_total", "created_at"),
    api=lambda px: px.exports,
)

KINDS = (BATCHES, EXPORTS)
