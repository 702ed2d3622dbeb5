"""packagex_async: the async Python SDK for the PackageX API's job resources.

async with PackageX() as px:
    async for batch in px.batches.list(status="completed"):
        print(batch.id)

Importing the package is cheap: each public name is imported from its module on first
use (PEP 562), so ``packagex --help`` and every TAB of shell completion, which import
``packagex_async._cli``, never load aiohttp or the client. Type checkers read the
imports under ``TYPE_CHECKING``, which name the same modules. The models and their
enums (``models.__all__``, attrs classes only) are imported at once and re-exported
whole, so a resource's model is public by being listed in ``models``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import models
from ._lazy import lazy_exports
from ._version import VERSION as __version__
from .models import *  # noqa: F403  # every model and enum of every resource (light: attrs)

if TYPE_CHECKING:
    from ._client import PackageX
    from ._codec import to_dict, to_json
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
    from ._http._redis_pacing import RedisPacing
    from ._jobs._creates import CsvFieldOptions, ExportOptions, between, since, until
    from ._jobs._files import Download, Files
    from ._listing._many import RetrieveResult
    from ._listing._pagination import AsyncPaginator

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncPaginator",
    "AuthenticationError",
    "BadRequestError",
    "CsvFieldOptions",
    "Download",
    "ExportOptions",
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
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "RedisPacing",
    "ResponseTooLargeError",
    "RetrieveResult",
    "WaitTimeoutError",
    "__version__",
    "between",
    "since",
    "to_dict",
    "to_json",
    "until",
]
__all__ += models.__all__  # a new resource's model is exported by listing it there

if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(
        __name__,
        {
            "PackageX": "._client",
            "CsvFieldOptions": "._jobs._creates",
            "ExportOptions": "._jobs._creates",
            "between": "._jobs._creates",
            "since": "._jobs._creates",
            "until": "._jobs._creates",
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
            "Download": "._jobs._files",
            "Files": "._jobs._files",
            "RetrieveResult": "._listing._many",
            "AsyncPaginator": "._listing._pagination",
            "RedisPacing": "._http._redis_pacing",
            "to_dict": "._codec",
            "to_json": "._codec",
        },
    )
