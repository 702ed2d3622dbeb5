"""``px.imports``: contacts and groups imported from rows or a CSV/Excel file.

Everything about imports is here: ``IMPORTS`` (path, model, id name, page size 10,
the batch statuses, files, no typed filters, create arguments) and the thin typed
methods, including the create rules. Beyond this module an import needs only what
every resource needs: its model ``Import`` (and its enums) in ``models.py``, whose
``__all__`` makes them public, and one line in the registry
(``resources/__init__.py``); the client, the CLI (``packagex imports ...``),
``to_dict``/``to_json``, ``mock_packagex`` and the errors find it from there, and the
fake serves it from its own module (``testing/_imports.py``, one registry line). The
mock's typed ``imports`` attribute and ``make_import`` are an annotation and a factory
in ``testing/_mock.py``.
"""

from __future__ import annotations

import builtins
import os
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from typing import Any, ClassVar, Literal, overload

from .._jobs._creates import data_url, finish_body, optional_flag, rows_of
from .._listing._many import RetrieveResult
from .._listing._pagination import AsyncPaginator
from .._params import QueryValue, check_text, enum_value, wrong_value
from .._settings import DEFAULT_POLL_INTERVAL, DEFAULT_WAIT_TIMEOUT
from .._specs import CreateArgument, CreateSpec, FileSpec, ResourceSpec
from ..models import (
    BatchAction,
    DuplicateHandling,
    Import,
    ImportResource,
    ImportUploadMode,
)
from ._jobs import CSVRow, JobResource, JSONRow

__all__ = ["IMPORTS", "ImportFile", "Imports", "import_body"]

_IF_UNSURE = (
    "The import may or may not have been created: look for it among the newest "
    "imports (the last page of px.imports.list()) before creating it again"
)

_UPLOADED = "upload files exist only for imports created with save_upload (the default)"
_ERRORS = "error files exist only for imports that rejected rows"

IMPORTS = ResourceSpec(
    name="imports",
    noun="import",
    path="/v1/imports",
    model=Import,
    id_name="import_id",
    default_limit=10,
    final_statuses=frozenset({"completed", "failed", "timed_out", "expired"}),
    files=(
        FileSpec("upload_csv", "include_upload_csv", "upload_csv_url", "csv", _UPLOADED),
        FileSpec("upload_json", "include_upload_json", "upload_json_url", "json", _UPLOADED),
        FileSpec("errors_csv", "include_errors_csv", "errors_csv_url", "csv", _ERRORS),
        FileSpec("errors_json", "include_errors_json", "errors_json_url", "json", _ERRORS),
    ),
    filters=(),
    create=CreateSpec(
        form="rows",
        sources=("file", "data"),
        source_required=False,  # upload_mode async takes none
        arguments=(
            CreateArgument("action", "merge, overwrite or delete", BatchAction, required=True),
            CreateArgument("upload_mode", "sync (rows now) or async (no rows)", ImportUploadMode),
            CreateArgument("location_id", "the location the records belong to"),
            CreateArgument("duplicate_handling", "ignore_all or use_first", DuplicateHandling),
            CreateArgument("save_upload", "keep the uploaded file (the API's default)", flag=True),
        ),
        resource_help="what the rows are: contact or group",
    ),
    columns=("id", "name", "status", "resource", "action", "created_at"),
)

ImportFile = Literal["upload_csv", "upload_json", "errors_csv", "errors_json"]
"""The files of an import, as ``IMPORTS.files`` names them (a test keeps both equal)."""

IMPORT_ARGUMENTS = (
    "resource",
    "action",
    "data",
    "file",
    "upload_mode",
    "location_id",
    "duplicate_handling",
    "save_upload",
    "extra_body",
)
"""The keyword arguments of ``imports.create`` (and ``run``) that make up the body."""


def import_body(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON body of ``POST /v1/imports``, from ``create``'s arguments picked by name.

    ``upload_mode="sync"`` needs rows (``data``) or a ``file``; ``"async"`` takes
    neither (the docs: "``data`` must be null"). Rows and a file both go in ``data``.
    """
    given = {name: arguments[name] for name in IMPORT_ARGUMENTS}
    mode = given["upload_mode"]
    if mode is not None:
        mode = enum_value("upload_mode", mode, ImportUploadMode)
    handling, location = given["duplicate_handling"], given["location_id"]
    body = {
        "resource": enum_value("resource", given["resource"], ImportResource),
        "action": enum_value("action", given["action"], BatchAction),
        "upload_mode": mode,
        "data": _source(given["data"], given["file"], mode),
        "location_id": None if location is None else check_text("location_id", location),
        "duplicate_handling": None
        if handling is None
        else enum_value("duplicate_handling", handling, DuplicateHandling),
        "save_upload": optional_flag("save_upload", given["save_upload"]),
    }
    return finish_body(body, given["extra_body"])


def _source(data: Any, file: Any, mode: str | None) -> Any:
    """``data``: the rows, or the file as a data URL; nothing for an async import."""
    if data is not None and file is not None:
        wrong_value("give data or file, not both")
    if mode == "async":
        if data is not None or file is not None:
            wrong_value("upload_mode 'async' takes no data or file (the API wants data null)")
        return None
    if data is None and file is None:
        wrong_value("give data (rows) or file, or upload_mode='async' to upload later")
    return rows_of(data) if data is not None else data_url(file)


class Imports(JobResource[Import, ImportFile]):
    """Retrieve one import (with presigned file URLs on request), list them, create
    one, wait for it to finish, and read or download its files."""

    spec: ClassVar[ResourceSpec] = IMPORTS

    async def retrieve(
        self,
        import_id: str,
        *,
        include_upload_csv: bool = False,
        include_upload_json: bool = False,
        include_errors_csv: bool = False,
        include_errors_json: bool = False,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> Import:
        """One import; each ``include_*`` flag fills the matching presigned ``*_url``.

        ``extra_query`` adds query parameters the SDK does not model, sent as given.
        """
        query = self.spec.include_query(
            include_upload_csv=include_upload_csv,
            include_upload_json=include_upload_json,
            include_errors_csv=include_errors_csv,
            include_errors_json=include_errors_json,
        )
        return await self._retrieve(import_id, query, extra_query)

    async def retrieve_many(
        self,
        import_ids: Iterable[str],
        *,
        concurrency: int = 8,
        fail_fast: bool = False,
        include_upload_csv: bool = False,
        include_upload_json: bool = False,
        include_errors_csv: bool = False,
        include_errors_json: bool = False,
    ) -> builtins.list[RetrieveResult[Import]]:
        """Retrieve every id, ``concurrency`` at a time; one result per id, in order.

        A failed id does not stop the others: its result carries the error. With
        ``fail_fast=True`` the first error is raised and the rest are cancelled.
        """
        query = self.spec.include_query(
            include_upload_csv=include_upload_csv,
            include_upload_json=include_upload_json,
            include_errors_csv=include_errors_csv,
            include_errors_json=include_errors_json,
        )
        return await self._retrieve_many(import_ids, query, concurrency, fail_fast)

    def list(
        self,
        *,
        limit: int | None = 10,
        page: int | None = 1,
        concurrency: int = 1,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> AsyncPaginator[Import]:
        """Every import, oldest first, fetched page by page (10 per page by default).

        The docs show no filters for imports; ``extra_query`` sends any the API
        accepts, as given. ``page`` is where to start (``paginator.next_page`` to
        resume); ``concurrency=N`` > 1 fetches up to N pages at once after the first.
        """
        return self._list({}, page, limit, concurrency, extra_query)

    async def create(
        self,
        *,
        resource: ImportResource | str,
        action: BatchAction | str,
        data: Sequence[Mapping[str, Any]] | None = None,
        file: str | os.PathLike[str] | bytes | None = None,
        upload_mode: ImportUploadMode | str | None = None,
        location_id: str | None = None,
        duplicate_handling: DuplicateHandling | str | None = None,
        save_upload: bool | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> Import:
        """Start an import of contacts or groups from ``data`` (rows) or ``file`` (a
        .csv/.xlsx/.xls path, or its bytes); the new import, as the API answered.

        ``upload_mode="async"`` creates it without rows (the API wants ``data`` null).
        Never sent twice when it may have reached the server: a failure that leaves it
        unknown says how to look for the import.
        """
        body = import_body(locals())
        return await self._create(body, _IF_UNSURE)

    async def run(
        self,
        *,
        resource: ImportResource | str,
        action: BatchAction | str,
        data: Sequence[Mapping[str, Any]] | None = None,
        file: str | os.PathLike[str] | bytes | None = None,
        upload_mode: ImportUploadMode | str | None = None,
        location_id: str | None = None,
        duplicate_handling: DuplicateHandling | str | None = None,
        save_upload: bool | None = None,
        extra_body: Mapping[str, Any] | None = None,
        path: str | os.PathLike[str] | None = None,
        download: ImportFile = "errors_csv",
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        on_progress: Callable[[Import], object] | None = None,
    ) -> Import:
        """Create an import, wait until it is finished and, with ``path``, download a file.

        ``download`` names the file (``errors_csv``, the default, exists only when rows
        were rejected: ``has_errors_file``). Returns the completed import; raises
        ``JobFailedError`` if it ended failed, timed_out or expired. Every argument is
        checked before the import is created.
        """
        body = import_body(locals())
        plan = self._plan(path, download, timeout, poll_interval, on_progress)
        return await self._run(body, _IF_UNSURE, plan)

    @overload
    def rows(
        self, import_id: str, file: Literal["upload_json", "errors_json"]
    ) -> AsyncIterator[JSONRow]: ...
    @overload
    def rows(
        self, import_id: str, file: Literal["upload_csv", "errors_csv"]
    ) -> AsyncIterator[CSVRow]: ...
    @overload
    def rows(self, import_id: str, file: ImportFile) -> AsyncIterator[JSONRow]: ...
    def rows(self, import_id: str, file: ImportFile) -> AsyncIterator[JSONRow]:
        """The rows of one of the import's files, parsed as they stream in.

        JSON files yield their array's elements, each an object; CSV files yield
        ``dict[str, str]`` keyed by the header row.
        """
        return self._rows(import_id, file)
