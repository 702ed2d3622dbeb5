"""packagex_async: the async Python SDK for the PackageX API's Batches and Exports.

async with PackageX() as px:
    async for batch in px.batches.list(status="completed"):
        print(batch.id)

Importing the package is cheap: each public name is imported from its module on first
use (PEP 562), so ``packagex --help`` and every TAB of shell completion, which import
``packagex_async._cli``, never load aiohttp or the client. Type checkers read the
imports under ``TYPE_CHECKING``, which name the same modules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_exports
from ._version import VERSION as __version__

if TYPE_CHECKING:
    from ._client import PackageX
    from ._creates import CsvFieldOptions, ExportOptions, between, since, until
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
    from ._serialize import to_dict, to_json
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
    "between",
    "since",
    "to_dict",
    "to_json",
    "until",
]

if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(
        __name__,
        {
            "PackageX": "._client",
            "CsvFieldOptions": "._creates",
            "ExportOptions": "._creates",
            "between": "._creates",
            "since": "._creates",
            "until": "._creates",
            "APIConnectionError": "._errors",
            "APIResponseValidationError": "._errors",
            "APIStatusError": "._errors",
            "APITimeoutError": "._errors",
            "AuthenticationError": "._errors",
            "BadRequestError": "._errors",
            "FileDownloadError": "._errors",
            "FileNotAvailableError": "._errors",
            "FileURLExpiredError": "._errors",
            "InternalServerError": "._errors",
            "JobFailedError": "._errors",
            "NotFoundError": "._errors",
            "PackageXError": "._errors",
            "PackageXTypeError": "._errors",
            "PackageXValueError": "._errors",
            "PaginationError": "._errors",
            "PermissionDeniedError": "._errors",
            "RateLimitError": "._errors",
            "ResponseTooLargeError": "._errors",
            "WaitTimeoutError": "._errors",
            "Download": "._files",
            "Files": "._files",
            "RetrieveResult": "._many",
            "AsyncPaginator": "._pagination",
            "to_dict": "._serialize",
            "to_json": "._serialize",
            "Batch": ".models",
            "BatchAction": ".models",
            "BatchMode": ".models",
            "BatchPhase": ".models",
            "BatchResource": ".models",
            "BatchStats": ".models",
            "BatchStatus": ".models",
            "BatchVia": ".models",
            "DuplicateHandling": ".models",
            "Export": ".models",
            "ExportOrderBy": ".models",
            "ExportResource": ".models",
            "ExportStatus": ".models",
            "Page": ".models",
            "Pagination": ".models",
            "SortDirection": ".models",
        },
    )
