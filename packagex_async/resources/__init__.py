"""The registry of the API's resources: every other part of the SDK iterates it.

``Resources`` declares each resource as a typed attribute, the name being its
``spec.name``; ``PackageX`` inherits it (``px.batches``), and ``RESOURCES`` /
``SPECS`` list the classes and their declarations for the client's wiring, the
CLI's commands, ``to_dict`` and the fake. Adding a resource is one import and one
attribute here, beside its own module (see ``_batches``' docstring).

The annotations are evaluated (no ``from __future__ import annotations``), so the
registry reads the classes from them. Importing a resource module loads neither
aiohttp nor the decoders: the CLI reads the specs at every TAB.
"""

from typing import Any

from .._specs import ResourceSpec
from ._batches import Batches
from ._exports import Exports
from ._imports import Imports
from ._jobs import JobResource

__all__ = ["RESOURCES", "SPECS", "Batches", "Exports", "Resources", "spec_of"]


class Resources:
    """The client's resource attributes, one per registered resource."""

    batches: Batches
    exports: Exports
    imports: Imports


RESOURCES: tuple[type[JobResource[Any, Any]], ...] = tuple(Resources.__annotations__.values())
"""The resource classes, in declaration order."""

SPECS: tuple[ResourceSpec, ...] = tuple(resource.spec for resource in RESOURCES)
"""Their declarations, for what needs only the facts (the CLI's help, the fake)."""


def spec_of(model: type[object]) -> ResourceSpec | None:
    """The spec whose model is ``model`` (a job's class), or None."""
    return next((spec for spec in SPECS if spec.model is model), None)
