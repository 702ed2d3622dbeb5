"""packagex_async: the async Python SDK for the PackageX API's Batches and Exports.

async with PackageX() as px:
    async for batch in px.batches.list(status="completed"):
        print(batch.id)
"""

from ._client import PackageX
from ._codec import to_dict, to_json
from ._creates import CsvFieldOptions, ExportOptions, since, until
from ._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    FileDownloadError,
    FileNotAvailableError,
    FileURLExpiredError,
    InternalServerError,
    JobFailedError,
    NotFoundError,
    PackageXError,
    PackageXTypeError,
    PackageXValueError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    WaitTimeoutError,
)
from ._files import Download, Files
from ._many import RetrieveResult
from ._pagination import AsyncPaginator
from ._version import VERSION as __version__
from .models import (
    Batch,
    BatchAction,
    BatchMode,
    BatchPhase,
    BatchResource,
    BatchStats,
    BatchStatus,
    BatchVia,
    DuplicateHandling,
    Export,
    ExportOrderBy,
    ExportResource,
    ExportStatus,
    Page,
    Pagination,
    SortDirection,
)

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncPaginator",
    "AuthenticationError",
    "BadRequestError",
    "Batch",
    "BatchAction",
    "BatchMode",
    "BatchPhase",
    "BatchResource",
    "BatchStats",
    "BatchStatus",
    "BatchVia",
    "CsvFieldOptions",
    "Download",
    "DuplicateHandling",
    "Export",
    "ExportOptions",
    "ExportOrderBy",
    "ExportResource",
    "ExportStatus",
    "FileDownloadError",
    "FileNotAvailableError",
    "FileURLExpiredError",
    "Files",
    "InternalServerError",
    "JobFailedError",
    "NotFoundError",
    "PackageX",
    "PackageXError",
    "PackageXTypeError",
    "PackageXValueError",
    "Page",
    "Pagination",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "RetrieveResult",
    "SortDirection",
    "WaitTimeoutError",
    "__version__",
    "since",
    "to_dict",
    "to_json",
    "until",
]
