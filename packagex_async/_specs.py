"""One declaration per resource: every fact about it, in one place.

A resource is data: its path, model, id name, default page size, final statuses,
files and filters. Query building, include flags, ``FileNotAvailableError`` reasons,
``wait``'s final statuses and the CLI's kinds, choices and help all derive from
the ``ResourceSpec``; the typed public methods in ``resources/`` stay thin, and
``tests/unit/test_specs.py`` ties their signatures to these declarations so the two
cannot drift. Adding a resource means one spec here plus one thin typed module.
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
from .models import (
    Batch,
    BatchMode,
    BatchResource,
    BatchStatus,
    BatchVia,
    Export,
    ExportOrderBy,
    ExportResource,
    ExportStatus,
    SortDirection,
)

__all__ = ["BATCHES", "EXPORTS", "SPECS", "FileSpec", "Filter", "ResourceSpec"]


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


def _uploaded(kind: str) -> str:
    return f"{kind} files exist only for batches created with save_upload=true"


_RESULT = "result files exist only for batches created with save_result=true, once finished"
_ERRORS = "error files exist only for batches that rejected rows"
_EXPORTED = "export files exist once the export is completed, and are kept for 24 hours"

BATCHES = ResourceSpec(
    name="batches",
    noun="batch",
    path="/v1/batches",
    model=Batch,
    id_name="batch_id",
    default_limit=25,
    final_statuses=frozenset({"completed", "failed", "timed_out", "expired"}),
    files=(
        FileSpec("upload_csv", "include_upload_csv", "upload_csv_url", "csv", _uploaded("upload")),
        FileSpec(
            "upload_json", "include_upload_json", "upload_json_url", "json", _uploaded("upload")
        ),
        FileSpec("errors_csv", "include_errors_csv", "errors_csv_url", "csv", _ERRORS),
        FileSpec("errors_json", "include_errors_json", "errors_json_url", "json", _ERRORS),
        FileSpec("result_json", "include_result_json", "result_json_url", "json", _RESULT),
    ),
    filters=(
        Filter("resource", BatchResource),
        Filter("mode", BatchMode),
        Filter("via", BatchVia),
        Filter("status", BatchStatus),
    ),
)

EXPORTS = ResourceSpec(
    name="exports",
    noun="export",
    path="/v1/exports",
    model=Export,
    id_name="export_id",
    default_limit=10,
    final_statuses=frozenset({"completed", "failed", "timed_out"}),
    files=(
        FileSpec("json", "include_json", "json_url", "json", _EXPORTED),
        FileSpec("csv", "include_csv", "csv_url", "csv", _EXPORTED),
        FileSpec("csv_error", "include_csv", "csv_error_url", "csv", _EXPORTED),
        FileSpec("csv_sanitized", "include_csv", "csv_sanitized_url", "csv", _EXPORTED),
    ),
    filters=(
        Filter("order_by", ExportOrderBy),
        Filter("direction", SortDirection),
        Filter("resource", ExportResource),
        Filter("statuses", ExportStatus, many=True, help="one or more, comma-separated"),
        Filter("search", help="text to find in the export name"),
    ),
)

SPECS = (BATCHES, EXPORTS)
