"""What a resource declaration is made of: ``ResourceSpec`` and its parts.

A resource is data: its path, model, id name, default page size, final and success
statuses, files (with their formats), filters and create arguments. Query building,
include flags, ``FileNotAvailableError`` reasons, ``wait``'s final statuses and the
CLI's kinds, choices, create options and help all derive from the ``ResourceSpec``.
Each resource module in ``resources/`` declares its own spec beside its thin typed
methods, and ``resources/__init__`` registers it; ``tests/unit/test_specs.py`` ties
the methods' signatures to the declarations so the two cannot drift.
"""

from __future__ import annotations

import enum
import itertools
import operator
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from ._errors import PackageXValueError
from ._params import check_flag, check_text, enum_value, enum_values

__all__ = ["CreateArgument", "CreateSpec", "FileSpec", "Filter", "ResourceSpec"]


@attrs.frozen
class FileSpec:
    """One downloadable file of a job: how to ask for it and why it may be absent."""

    name: str
    flag: str
    """The ``include_*`` flag of ``retrieve`` that fills its URL."""
    attribute: str
    """The model attribute holding the presigned URL."""
    format: Literal["json", "csv"]
    exists_when: str
    """Said when the URL is missing: the setting or state the file depends on."""


@attrs.frozen
class Filter:
    """A ``list()`` filter: its name (the parameter and the query key) and its values."""

    name: str
    values: type[enum.Enum] | None = None
    """The enum of allowed values; ``None`` for free text."""
    many: bool = False
    """Several values, sent comma-separated."""
    help: str = ""

    @property
    def choices(self) -> tuple[str, ...]:
        """The allowed values as sent (empty for free text)."""
        return () if self.values is None else tuple(str(m.value) for m in self.values)

    def encode(self, value: object) -> str:
        """The query value for ``value``, checked by the argument rule."""
        if self.values is None:
            return check_text(self.name, value)
        if self.many:
            return enum_values(self.name, value, self.values)
        return enum_value(self.name, value, self.values)


@attrs.frozen
class CreateArgument:
    """One keyword argument of a resource's ``create()``, as the CLI offers it."""

    name: str
    """The keyword (and, with dashes, the CLI option)."""
    help: str
    values: type[enum.Enum] | None = None
    """The enum of allowed values (the SDK checks them; the CLI completes them)."""
    flag: bool = False
    """A boolean: ``--save-upload`` sends true, ``--no-save-upload`` false, and with
    neither the key is left out (the API's default applies)."""
    required: bool = False

    @property
    def choices(self) -> tuple[str, ...]:
        return () if self.values is None else tuple(str(m.value) for m in self.values)


@attrs.frozen
class CreateSpec:
    """How a resource's jobs are created, for the CLI's ``<resource> create`` command.

    ``form`` is the shape of the arguments: ``"rows"`` (a RESOURCE, ``sources`` of
    rows of which exactly one is given, and plain ``arguments``) or ``"query"`` (a
    RESOURCE and the list API's filters, written by the CLI's date, limit and CSV
    options, as an export takes them).
    """

    form: Literal["rows", "query"]
    sources: tuple[str, ...] = ()
    """``rows``: the mutually exclusive row sources of ``create()`` (data, file, url)."""
    source_required: bool = True
    """``rows``: one source must be given (else the SDK says when none may be)."""
    arguments: tuple[CreateArgument, ...] = ()
    download: str = ""
    """``query``: the file ``create --wait --download PATH`` saves."""
    resource_help: str = "what to create the job for"


@attrs.frozen
class ResourceSpec:
    """Everything the SDK and the CLI know about one API collection."""

    name: str
    noun: str
    path: str
    model: type[Any]
    id_name: str
    default_limit: int
    final_statuses: frozenset[str]
    files: tuple[FileSpec, ...]
    filters: tuple[Filter, ...]
    create: CreateSpec
    columns: tuple[str, ...]
    """The fields a one-line summary shows (the CLI's table); JSON and CSV show all."""
    success_status: str = "completed"
    """The one final status that means the job did what was asked."""
    include_flags: tuple[str, ...] = attrs.field(init=False)
    """``retrieve``'s ``include_*`` flags, each once, in declaration order."""

    @include_flags.default
    def _include_flags(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.flag for f in self.files))

    @property
    def file_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.files)

    def file(self, name: object) -> FileSpec:
        """The file called ``name``, or ``PackageXValueError`` listing the names."""
        for spec in self.files:
            if spec.name == name:
                return spec
        allowed = ", ".join(repr(n) for n in self.file_names)
        raise PackageXValueError(f"file must be one of {allowed}, got {name!r}")

    def include_query(self, **flags: object) -> dict[str, str]:
        """The query for ``retrieve``'s flags, passed by name (each of ``include_flags``).

        Runs on every retrieve, so the methods pass the flags themselves rather than
        their ``locals()``: in a coroutine, ``locals()`` builds a frame object and a
        dict that live as long as the request. The usual case (every flag left at
        ``False``, which needs no check) is found in C, without a Python loop.
        """
        if not any(map(operator.is_not, flags.values(), itertools.repeat(False))):
            return {}
        query = {}
        for flag in self.include_flags:
            value = flags[flag]
            if value is not False and check_flag(flag, value):
                query[flag] = "true"
        return query

    def filter_query(self, arguments: Mapping[str, Any]) -> dict[str, str]:
        """The query for ``list``'s filters, picked from its ``arguments`` by name."""
        return {
            f.name: f.encode(arguments[f.name])
            for f in self.filters
            if arguments[f.name] is not None
        }
