"""The public data models: batches, exports, imports, their enumerations and pages.

Attributes are the JSON keys without a leading underscore (``_result_json_url`` is
``result_json_url``); the ``json`` field metadata records the wire name so the one
converter in ``_converter`` can map it. Enumerated fields are *open*: a documented
value decodes to its enum member, an undocumented one (a status the API adds next
year) stays a plain ``str`` instead of failing. Every field but ``id`` is optional,
because the SDK must keep working when the API omits or adds fields.

The classes are slotted but not frozen: a frozen attrs ``__init__`` is about five
times slower, and building models is most of a listing's CPU time. Nothing in the
SDK reads a model back, so changing one affects only your copy.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, Generic, TypeAlias, TypeVar

import attrs

from ._http._redact import shown_url

__all__ = [
    "Batch",
    "BatchAction",
    "BatchMode",
    "BatchPhase",
    "BatchResource",
    "BatchStats",
    "BatchStatus",
    "BatchVia",
    "DuplicateHandling",
    "Export",
    "ExportOrderBy",
    "ExportResource",
    "ExportStatus",
    "Import",
    "ImportResource",
    "ImportStatus",
    "ImportUploadMode",
    "Page",
    "Pagination",
    "SortDirection",
]

T = TypeVar("T")


class _StrEnum(str, enum.Enum):
    """A str-valued enum whose ``str()`` is its value (``enum.StrEnum`` needs 3.11)."""

    def __str__(self) -> str:
        return str(self.value)


class BatchResource(_StrEnum):
    CONTACT = "contact"
    GROUP = "group"
    SHIPMENT = "shipment"
    TRACKER = "tracker"
    ASSET = "asset"


class BatchMode(_StrEnum):
    SYNC = "sync"
    MIXED = "mixed"
    ASYNC = "async"


class BatchVia(_StrEnum):
    API = "api"
    FILE = "file"


class BatchAction(_StrEnum):
    MERGE = "merge"
    OVERWRITE = "overwrite"
    DELETE = "delete"


class BatchStatus(_StrEnum):
    REQUESTED = "requested"
    QUEUED = "queued"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    TIMED_OUT = "timed_out"
    EXPIRED = "expired"


class DuplicateHandling(_StrEnum):
    IGNORE_ALL = "ignore_all"
    USE_FIRST = "use_first"


class ExportResource(_StrEnum):
    CONTACT = "contact"
    GROUP = "group"
    LOCATION = "location"
    SHIPMENT = "shipment"
    TRACKER = "tracker"
    SHIPPING_LABEL_INFERENCE = "shipping_label_inference"
    FULFILLMENT = "fulfillment"
    ITEM = "item"
    MANIFEST = "manifest"
    ASSET = "asset"


class ExportStatus(_StrEnum):
    QUEUED = "queued"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    TIMED_OUT = "timed_out"
    SENT = "sent"


class ImportResource(_StrEnum):
    CONTACT = "contact"
    GROUP = "group"


class ImportUploadMode(_StrEnum):
    SYNC = "sync"
    ASYNC = "async"


ImportStatus = BatchStatus
"""An import's status: the batch statuses (the docs give imports the same ones)."""


class ExportOrderBy(_StrEnum):
    CREATED_AT = "created_at"
    COUNT_BATCHES = "count_batches"
    COUNT_TOTAL = "count_total"
    UPDATED_AT = "updated_at"


class SortDirection(_StrEnum):
    ASC = "asc"
    DESC = "desc"


def _wire(name: str) -> Any:
    """An optional presigned-URL field whose JSON key is ``name`` (a leading underscore).

    Its ``repr`` shows scheme, host and path only: the query string is the URL's
    signature, a credential, and reprs end up in logs and error trackers' frame locals.
    """
    return attrs.field(default=None, metadata={"json": name}, repr=_url_repr)


def _url_repr(url: str | None) -> str:
    """``'https://host/path?[redacted]'``: the presigned URL without its signature."""
    if not isinstance(url, str):
        return repr(url)
    return repr(shown_url(url))


@attrs.define
class BatchPhase:
    """One phase of a batch's processing, with its item counters."""

    name: str | None = None
    mode: BatchMode | str | None = None
    total: int = 0
    processed: int = 0
    success: int = 0
    error: int = 0


@attrs.define
class BatchStats:
    """What a finished batch did to the organisation's data."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    overwritten: int = 0
    events: int = 0


@attrs.define
class Batch:
    """A bulk operation on contacts, groups, shipments or trackers.

    The ``*_url`` attributes are presigned download URLs, filled only when the batch
    was retrieved with the matching ``include_*`` flag (and the file exists).
    """

    id: str
    organization_id: str | None = None
    resource: BatchResource | str | None = None
    mode: BatchMode | str | None = None
    via: BatchVia | str | None = None
    action: BatchAction | str | None = None
    status: BatchStatus | str | None = None
    duplicate_handling: DuplicateHandling | str | None = None
    reason: str | None = None
    phases: list[BatchPhase] = attrs.Factory(list)
    stats: BatchStats | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    updated_by: str | None = None
    checksum: str | None = None
    upload_url: str | None = _wire("_upload_url")
    upload_csv_url: str | None = _wire("_upload_csv_url")
    upload_json_url: str | None = _wire("_upload_json_url")
    errors_csv_url: str | None = _wire("_errors_csv_url")
    errors_json_url: str | None = _wire("_errors_json_url")
    result_json_url: str | None = _wire("_result_json_url")


@attrs.define
class Export:
    """A CSV/JSON dump of an organisation's data; kept by PackageX for 24 hours.

    ``json_url`` is filled when retrieved with ``include_json=True``; ``csv_url``,
    ``csv_error_url`` and ``csv_sanitized_url`` with ``include_csv=True``.
    """

    id: str
    organization_id: str | None = None
    name: str | None = None
    resource: ExportResource | str | None = None
    status: ExportStatus | str | None = None
    count_batches: int | None = None
    count_total: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    json_url: str | None = _wire("_json_url")
    csv_url: str | None = _wire("_csv_url")
    csv_error_url: str | None = _wire("_csv_error_url")
    csv_sanitized_url: str | None = _wire("_csv_sanitized_url")


@attrs.define
class Import:
    """An import of contacts or groups: a batch with a name, an author and a mapping.

    Its ``phases`` are the documented seven (prevalidation, preparsing, transforming,
    parsing, validation, processing, ...); ``has_upload_file`` / ``has_errors_file``
    say whether the files exist, and the ``*_url`` attributes are filled when
    retrieved with the matching ``include_*`` flag.
    """

    id: str
    organization_id: str | None = None
    name: str | None = None
    resource: ImportResource | str | None = None
    mode: ImportUploadMode | str | None = None
    via: BatchVia | str | None = None
    action: BatchAction | str | None = None
    status: ImportStatus | str | None = None
    duplicate_handling: DuplicateHandling | str | None = None
    location_id: str | None = None
    reason: str | None = None
    phases: list[BatchPhase] = attrs.Factory(list)
    stats: BatchStats | None = None
    column_mapping: dict[str, Any] | None = None
    has_upload_file: bool | None = None
    has_errors_file: bool | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    created_by: str | None = None
    updated_by: str | None = None
    checksum: str | None = None
    upload_url: str | None = _wire("_upload_url")
    upload_csv_url: str | None = _wire("_upload_csv_url")
    upload_json_url: str | None = _wire("_upload_json_url")
    errors_csv_url: str | None = _wire("_errors_csv_url")
    errors_json_url: str | None = _wire("_errors_json_url")


@attrs.define
class Pagination:
    """Where a list page sits: ``page`` is 1-based, ``total_count`` counts all matches."""

    page: int
    limit: int
    has_more: bool
    total_count: int | None = None

    @property
    def last_page(self) -> int | None:
        """The number of the last page, from ``total_count`` (None when not sent)."""
        if self.total_count is None:
            return None
        return -(-self.total_count // max(self.limit, 1))  # the ceiling, in integers


@attrs.define
class Page(Generic[T]):
    """One page of a list: its items and the pagination object the API sent with them.

    ``events`` are the envelope's ``events`` ("all of the events that were triggered
    due to this request", in PackageX's OpenAPI file) as sent, or None when absent.
    """

    data: list[T]
    pagination: Pagination
    events: list[Any] | None = None


JobModel: TypeAlias = Batch | Export | Import
"""A job of any resource: what ``WaitTimeoutError.last`` and ``JobFailedError.job`` hold."""

Model: TypeAlias = Batch | Export | Import | BatchPhase | BatchStats | Pagination | Page[Any]
"""What ``to_dict`` and ``to_json`` accept; anything else is a ``PackageXTypeError``."""
