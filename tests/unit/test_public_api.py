"""The public surface is what ``__all__`` says, and nothing in it is private."""

from __future__ import annotations

import ast
import importlib
import inspect
from importlib.metadata import version
from pathlib import Path

import attrs
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


def _lazy_packages() -> list[str]:
    """Every package of ours whose ``__init__`` exports its names lazily (PEP 562)."""
    root = Path(packagex_async.__file__).parent
    return sorted(
        ".".join(("packagex_async", *init.parent.relative_to(root).parts))
        for init in root.rglob("__init__.py")
        if "lazy_exports(" in init.read_text(encoding="utf-8")
    )


@attrs.frozen
class _Exports:
    """What a lazy package's ``__init__`` declares, read from its source."""

    typed: dict[str, str]
    """``TYPE_CHECKING`` imports, for type checkers: name -> relative module."""
    lazy: dict[str, str]
    """The map given to ``lazy_exports``, for run time: name -> relative module."""
    eager: frozenset[str]
    """Names bound by its other relative imports (``*`` ones expanded)."""


def _exports(package: str) -> _Exports:
    module = importlib.import_module(package)
    typed: dict[str, str] = {}
    lazy: dict[str, str] = {}
    eager: set[str] = set()
    for statement in ast.parse(inspect.getsource(module)).body:
        if isinstance(statement, ast.If) and ast.unparse(statement.test) == "TYPE_CHECKING":
            for node in statement.body:
                assert isinstance(node, ast.ImportFrom), ast.unparse(node)
                for alias in node.names:
                    assert alias.asname is None, f"{package}: the lazy map cannot rename"
                    typed[alias.name] = "." * node.level + (node.module or "")
        elif isinstance(statement, ast.If) and ast.unparse(statement.test) == "not TYPE_CHECKING":
            (call,) = [n for n in ast.walk(statement) if isinstance(n, ast.Call)]
            assert ast.unparse(call.func) == "lazy_exports"
            lazy = ast.literal_eval(call.args[1])
        elif isinstance(statement, ast.ImportFrom) and statement.level:
            for alias in statement.names:
                if alias.name != "*":
                    eager.add(alias.asname or alias.name)
                    continue
                home = importlib.import_module("." + (statement.module or ""), package)
                eager.update(home.__all__)
    return _Exports(typed, lazy, frozenset(eager))


def test_every_lazy_package_is_checked() -> None:
    assert {"packagex_async", "packagex_async._http"} <= set(_lazy_packages())


@pytest.mark.parametrize("package", _lazy_packages())
def test_a_lazy_packages_type_checking_imports_and_lazy_map_agree(package: str) -> None:
    """Type checkers read the ``TYPE_CHECKING`` imports, the run time the lazy map: the
    two name the same homes, ``__all__`` holds exactly their names and the eager ones
    it exports, and each name is the object of the module it comes from."""
    module = importlib.import_module(package)
    declared = _exports(package)

    assert declared.typed == declared.lazy
    assert set(declared.lazy) <= set(module.__all__)
    assert set(module.__all__) - set(declared.lazy) <= declared.eager
    for name, home in declared.lazy.items():
        assert getattr(module, name) is getattr(importlib.import_module(home, package), name)
    assert set(module.__all__) <= set(dir(module))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'packagex_async' has no attribute 'PackageY'"):
        getattr(packagex_async, "PackageY")  # noqa: B009
