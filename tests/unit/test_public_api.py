"""The public surface is what ``__all__`` says, and nothing in it is private."""

from __future__ import annotations

from importlib.metadata import version

import packagex_async

EXPECTED = {
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
    "RedisPacing",
    "ResponseTooLargeError",
    "RetrieveResult",
    "SortDirection",
    "WaitTimeoutError",
    "__version__",
    "since",
    "to_dict",
    "to_json",
    "until",
}


def test_all_is_pinned_and_importable() -> None:
    assert set(packagex_async.__all__) == EXPECTED
    assert sorted(packagex_async.__all__) == packagex_async.__all__
    for name in packagex_async.__all__:
        assert getattr(packagex_async, name) is not None


def test_error_tree() -> None:
    px = packagex_async
    for cls in (
        px.BadRequestError,
        px.AuthenticationError,
        px.PermissionDeniedError,
        px.NotFoundError,
        px.RateLimitError,
        px.InternalServerError,
    ):
        assert issubclass(cls, px.APIStatusError)
    assert issubclass(px.APITimeoutError, px.APIConnectionError)
    assert issubclass(px.FileURLExpiredError, px.FileDownloadError)
    assert issubclass(px.ResponseTooLargeError, px.APIResponseValidationError)
    assert issubclass(px.PackageXValueError, ValueError)
    assert issubclass(px.PackageXTypeError, TypeError)
    for cls in (
        px.APIStatusError,
        px.APIConnectionError,
        px.APIResponseValidationError,
        px.PaginationError,
        px.FileNotAvailableError,
        px.FileDownloadError,
        px.WaitTimeoutError,
        px.JobFailedError,
    ):
        assert issubclass(cls, px.PackageXError)


def test_version_comes_from_the_installed_metadata() -> None:
    assert packagex_async.__version__ == version("packagex_async")
