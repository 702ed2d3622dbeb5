"""What the CLI knows about each resource: one ``Kind`` per entry of the SDK's registry.

Files, ``--include`` names, filters, create options, the table's columns and the
success status come from the SDK's ``ResourceSpec``, so a resource, file or filter
the SDK adds shows up here without a second list to keep in sync.
"""

from __future__ import annotations

import argparse
import difflib
from typing import TYPE_CHECKING, Any

import attrs

from .._specs import Filter, ResourceSpec
from ..resources import SPECS
from ._exits import USAGE, CLIError
from ._records import field_names

if TYPE_CHECKING:  # the client loads aiohttp: only commands that call the API do
    from .._client import PackageX

__all__ = ["KINDS", "Kind", "kind_named"]


@attrs.frozen
class Kind:
    """One resource as the CLI presents it."""

    spec: ResourceSpec

    def api(self, px: PackageX) -> Any:
        """The client's resource for this kind (``px.<name>``), called with the options'
        keyword arguments (its ``list``, ``retrieve`` and ``create`` differ per resource)."""
        return getattr(px, self.spec.name)

    @property
    def columns(self) -> tuple[str, ...]:
        """The compact table's columns; JSON and CSV carry every field."""
        return self.spec.columns

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def noun(self) -> str:
        return self.spec.noun

    @property
    def model(self) -> type[Any]:
        model: type[Any] = self.spec.model
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


KINDS = tuple(Kind(spec) for spec in SPECS)
"""One kind per registered resource, in the registry's order."""


def kind_named(name: str) -> Kind:
    """The kind whose resource is ``name`` (``batches``)."""
    return next(kind for kind in KINDS if kind.name == name)
