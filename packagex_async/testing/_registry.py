"""The fake's resources, in order: everything else in the fake iterates this.

Adding a resource to the fake is its module (a ``FakeResource``) and one entry here;
the routes, faults, traffic, storage paths and ``FakePackageX``'s accessors follow.
"""

from __future__ import annotations

from ._batches import BATCHES
from ._exports import EXPORTS
from ._imports import IMPORTS
from ._resource import FakeResource

__all__ = ["FAKE_RESOURCES", "LIST_ROUTES", "ROUTES", "by_list_route", "by_name"]

FAKE_RESOURCES: tuple[FakeResource, ...] = (BATCHES, EXPORTS, IMPORTS)

LIST_ROUTES = tuple(resource.list_route for resource in FAKE_RESOURCES)
"""The routes that list pages (where page numbers, faults by page and drift apply)."""

ROUTES = (
    *LIST_ROUTES,
    *(resource.retrieve_route for resource in FAKE_RESOURCES),
    *(resource.create_route for resource in FAKE_RESOURCES),
    "storage",
)
"""Every route a fault, a hold or the traffic counters can name."""


def by_name(name: str) -> FakeResource:
    """The resource called ``name`` (``"batches"``); ``KeyError`` naming the known ones."""
    for resource in FAKE_RESOURCES:
        if resource.name == name:
            return resource
    known = ", ".join(resource.name for resource in FAKE_RESOURCES)
    raise KeyError(f"no resource {name!r} in the fake; known: {known}")


def by_list_route(route: str) -> FakeResource:
    """The resource whose list route is ``route``."""
    return next(resource for resource in FAKE_RESOURCES if resource.list_route == route)
