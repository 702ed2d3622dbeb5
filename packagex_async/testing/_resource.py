"""What the fake knows about one resource: ``FakeResource``, and what its items share.

Each resource of the fake is one module (``_batches``, ``_exports``, ...) that builds
a ``FakeResource``: its paths and routes, its page size and list filters, its include
flags and storage files, its seeded items, its added and created (moving) items and
its create checks. The servers, the shared state, the faults and ``FakePackageX``
iterate the registry (``_registry``) and name no resource.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from ._seed import Factory, Stamp

if TYPE_CHECKING:
    from ._collection import Collection, Keep
    from ._files import FileMaker, StoredFile
    from ._jobs import Job
    from ._params import QueryReader

__all__ = ["AddSpec", "FakeResource", "FileKey", "Item", "Listing", "stamp_after"]

FileKey = tuple[str, str]
"""A file an include flag adds: (JSON key of its URL, storage file name)."""


class Item(Protocol):
    """A stored job: its JSON (``data``), re-rendered while its ``job`` moves."""

    data: dict[str, Any]
    job: Job | None

    @property
    def id(self) -> str: ...

    def view(self, now: float) -> dict[str, Any]:
        """The JSON at fake time ``now``."""

    def files(self) -> dict[str, int]:
        """The storage files the item has now, with their row counts."""


@dataclasses.dataclass(frozen=True)
class AddSpec:
    """What ``fake.add_<noun>()`` asked for: start status, final status and step, rows.

    ``options`` are the resource's own (a batch's ``errors``, ``save_upload``...).
    """

    status: str | None
    final_status: str | None
    step_seconds: float
    rows: int | None
    fields: dict[str, Any]
    options: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def start(self) -> str:
        """The status to start in: as given, else queued if moving, else completed."""
        if self.status is not None:
            return self.status
        return "queued" if self.final_status is not None else "completed"

    def check(self) -> None:
        if self.rows is not None and self.rows < 0:
            raise ValueError("rows must be >= 0")


def stamp_after(now: float, after: int) -> Stamp:
    """Now, or one second after the newest ``created_at`` (creation order stays strict)."""
    created = max(int(now), after + 1)
    return Stamp(created, created)


@dataclasses.dataclass(frozen=True)
class Created:
    """What a create handler needs besides the body: where and when the job starts."""

    factory: Factory
    now: float
    after: int
    """The newest ``created_at`` of the resource so far."""
    step: float
    """Seconds per status of the new, moving job."""
    seed: int


Listing = Callable[
    ["QueryReader", "Collection[Any]", float], "tuple[Keep | None, Sequence[Any] | None]"
]
"""Reads a list request's filters: (which views to keep, the order to list in)."""


@dataclasses.dataclass(frozen=True)
class FakeResource:
    """One resource of the fake API, declared by its module."""

    name: str
    """Plural: ``/v1/<name>``, storage paths ``/<name>/<id>/<file>``, ``list_<name>``."""
    noun: str
    """Singular: ``retrieve_<noun>``, ``create_<noun>``, ``{<noun>_id}``, messages."""
    default_limit: int
    seeded: int
    """How many items ``FakePackageX`` seeds unless told."""
    flags: Mapping[str, tuple[FileKey, ...]]
    seed: Callable[[Factory, int], list[Any]]
    add: Callable[[Factory, AddSpec, float, int], Any]
    """(factory, spec, now, newest created_at) -> a new item, static or moving."""
    create: Callable[[Created, dict[str, Any]], Any]
    """(context, JSON body) -> the created item; raises ``BodyError`` for a bad body."""
    listing: Listing
    file: Callable[[FileMaker, Any, str], StoredFile | None]
    static: Callable[[Factory, Stamp], Any]
    """A finished item stamped ``stamp`` (inserted by list drift)."""

    @property
    def path(self) -> str:
        return f"/v1/{self.name}"

    @property
    def list_route(self) -> str:
        return f"list_{self.name}"

    @property
    def retrieve_route(self) -> str:
        return f"retrieve_{self.noun}"

    @property
    def create_route(self) -> str:
        return f"create_{self.noun}"
