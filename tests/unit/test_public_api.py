"""The public surface is what ``__all__`` says, and nothing in it is private."""

from __future__ import annotations

from importlib.metadata import version

import pytest

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
    "Import",
    "ImportResource",
    "ImportStatus",
    "ImportUploadMode",
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
    "between",
    "since",
    "to_dict",
    "to_json",
    "until",
}


def test_all_is_pinned_and_importable() -> None:
    assert set(packagex_async.__all__) == EXPECTED
    assert len(set(packagex_async.__all__)) == len(packagex_async.__all__)
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


def test_each_public_name_is_the_object_of_the_module_it_comes_from() -> None:
    """The lazy ``__getattr__`` and the imports type checkers read name the same homes."""
    import ast
    import importlib
    import inspect

    tree = ast.parse(inspect.getsource(packagex_async))
    checked = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.level == 1
        and node.module not in ("_lazy", None)
    ]
    homes = {
        alias.asname or alias.name: (node.module, alias.name)
        for node in checked
        for alias in node.names
        if alias.name != "*"
    }
    homes.update((name, ("models", name)) for name in packagex_async.models.__all__)
    assert set(homes) == set(packagex_async.__all__)
    for name, (module, attribute) in homes.items():
        home = importlib.import_module(f"packagex_async.{module}")
        assert getattr(packagex_async, name) is getattr(home, attribute), name


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'packagex_async' has no attribute 'PackageY'"):
        getattr(packagex_async, "PackageY")  # noqa: B009
