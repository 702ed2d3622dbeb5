"""``mock_packagex()``: PackageX answers from models, on aioresponses, for unit tests.

aioresponses patches ``ClientSession._request``, so no socket is opened: quick and
in-process, good for testing *your* code's handling of batches, exports and imports. It
bypasses aiohttp's transport (no retries on the wire, no timeouts, no middlewares),
so transport behaviour is the job of ``FakePackageX``, a real loopback server.

aioresponses 0.7.9 (the latest) builds its responses in a way aiohttp 3.14 refuses
(``ClientResponse.__init__()`` gained a required ``stream_writer``; upstream issue
pnuckowski/aioresponses#289). ``CompatResponse`` supplies it, only when the installed
aiohttp asks for it, and every route added through the object ``mock_packagex()``
yields, or through its ``aioresponses`` attribute, uses it.

aioresponses is imported only when ``mock_packagex()`` is called: install it with the
``mock`` extra (``pip install "packagex_async[mock]"``).
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import inspect
import itertools
import re
import types
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar

import aiohttp
import attrs
import orjson
import yarl

from .._errors import PackageXTypeError, PackageXValueError
from .._specs import ResourceSpec
from ..models import (
    Batch,
    BatchAction,
    BatchMode,
    BatchPhase,
    BatchResource,
    BatchStats,
    BatchStatus,
    BatchVia,
    Export,
    ExportResource,
    ExportStatus,
    Import,
    ImportResource,
    ImportStatus,
    ImportUploadMode,
    JobModel,
)
from ..resources import SPECS

if TYPE_CHECKING:
    from aioresponses import aioresponses

__all__ = [
    "CompatResponse",
    "MockJobs",
    "MockPackageX",
    "compat_response_class",
    "make_batch",
    "make_export",
    "make_import",
    "mock_packagex",
]

M = TypeVar("M", Batch, Export, Import)

DEFAULT_BASE_URL = "https://api.packagex.io"


class CompatResponse(aiohttp.ClientResponse):
    """A ``ClientResponse`` aioresponses can build on aiohttp 3.13 and 3.14 alike.

    aiohttp 3.14 made ``stream_writer`` a required argument, which aioresponses does
    not pass; a stand-in that reports nothing written is enough for a mocked answer.
    """

    def __init__(self, method: str, url: yarl.URL, **kwargs: Any) -> None:
        kwargs.setdefault("stream_writer", types.SimpleNamespace(output_size=0))
        super().__init__(method, url, **kwargs)


@functools.lru_cache(maxsize=1)
def compat_response_class() -> type[aiohttp.ClientResponse]:
    """``CompatResponse`` where aiohttp needs a ``stream_writer``, else ``ClientResponse``."""
    parameters = inspect.signature(aiohttp.ClientResponse.__init__).parameters
    return CompatResponse if "stream_writer" in parameters else aiohttp.ClientResponse


def _aioresponses_class() -> type[aioresponses]:
    """aioresponses with the compatible response class as every route's default."""
    try:
        from aioresponses import aioresponses
    except ImportError:  # pragma: no cover - exercised without the extra
        raise ImportError(
            'mock_packagex() needs aioresponses: pip install "packagex_async[mock]"'
        ) from None

    class CompatAioresponses(aioresponses):
        def add(self, url: Any, method: str = "GET", **kwargs: Any) -> None:  # type: ignore[override]
            kwargs.setdefault("response_class", compat_response_class())
            super().add(url, method, **kwargs)

    return CompatAioresponses


class MockJobs(Generic[M]):
    """The jobs of one resource a ``MockPackageX`` serves: ``add``, ``fail``, ``clear``."""

    @property
    def spec(self) -> ResourceSpec:
        """The resource's declaration (path, files, page size)."""
        return self._spec

    def __init__(self, spec: ResourceSpec, model: type[M]) -> None:
        self._spec = spec
        self._model: type[M] = model
        self._items: dict[str, M] = {}
        self._failures: dict[str, tuple[int, str]] = {}

    def add(self, *items: M) -> None:
        """Serve ``items`` (retrieve by id, list in the order added; a later one replaces)."""
        for item in items:
            if not isinstance(item, self._model):
                raise PackageXTypeError(
                    f"{self._spec.name}.add() takes {self._model.__name__} models "
                    f"(make_{self._spec.noun}(...) builds one), got {type(item).__name__}"
                )
            self._items[item.id] = item

    def fail(self, job_id: str, status: int = 404, message: str | None = None) -> None:
        """Answer every retrieve of ``job_id`` with HTTP ``status`` and an error envelope."""
        if not isinstance(status, int) or not 400 <= status <= 599:
            raise PackageXValueError(f"fail() takes an error status 400-599, got {status!r}")
        self._failures[job_id] = (status, message or f"{self._spec.noun} {job_id} failed")

    def clear(self) -> None:
        """Serve nothing again (every retrieve a 404, every list empty)."""
        self._items.clear()
        self._failures.clear()

    @property
    def items(self) -> list[M]:
        """What is served, in order."""
        return list(self._items.values())

    def answer(self, method: str, url: yarl.URL) -> tuple[int, dict[str, Any]]:
        """The status and envelope of the API for a request to this resource."""
        path = url.path.rstrip("/")
        if path == self._spec.path:
            return 200, self._list(url)
        job_id = path.rsplit("/", 1)[1]
        if job_id in self._failures:
            status, message = self._failures[job_id]
            return status, _error(status, message, url)
        item = self._items.get(job_id)
        if item is None:
            return 404, _error(404, f"{self._spec.noun} {job_id} not found", url)
        return 200, _envelope(_wire(item, self._spec, url.query), url)

    def _list(self, url: yarl.URL) -> dict[str, Any]:
        """A page of the served items, by the request's ``limit`` and ``page``."""
        query = url.query
        limit = int(query.get("limit", self._spec.default_limit))
        page = int(query.get("page", 1))
        chosen = [item for item in self._items.values() if _matches(item, query)]
        start = (page - 1) * limit
        data = [_wire(item, self._spec, {}) for item in chosen[start : start + limit]]
        pagination = {
            "page": page,
            "limit": limit,
            "has_more": start + limit < len(chosen),
            "total_count": len(chosen),
        }
        return _envelope(data, url, pagination)


_FILTERED = {"status": "status", "statuses": "status", "resource": "resource", "mode": "mode"}
"""List filters the mock applies (query parameter: model attribute); others are ignored."""


def _matches(item: JobModel, query: Any) -> bool:
    for parameter, attribute in _FILTERED.items():
        wanted = query.get(parameter)
        if wanted is not None and str(getattr(item, attribute, None)) not in wanted.split(","):
            return False
    return True


def _wire(item: JobModel, spec: ResourceSpec, query: Any) -> dict[str, Any]:
    """The JSON object the API sends: wire keys, and URLs only for the flags asked."""
    from .. import to_dict  # public: its module may move, its name does not

    plain = to_dict(item)
    asked = {file.attribute for file in spec.files if query.get(file.flag) == "true"}
    for field in attrs.fields(type(item)):
        wire_name = field.metadata.get("json")
        if wire_name is None:
            continue
        value = plain.pop(field.name)
        if field.name in asked:
            plain[wire_name] = value
    return plain


def _envelope(data: Any, url: yarl.URL, pagination: Any = None) -> dict[str, Any]:
    envelope = {
        "message": "ok",
        "status": 200,
        "code": None,
        "errors": [],
        "endpoint": url.path,
        "data": data,
    }
    if pagination is not None:
        envelope["pagination"] = pagination
    return envelope


def _error(status: int, message: str, url: yarl.URL) -> dict[str, Any]:
    code = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found"}
    return {
        "message": message,
        "status": status,
        "code": code.get(status, "error"),
        "errors": [],
        "endpoint": url.path,
        "data": None,
    }


class MockPackageX:
    """What ``mock_packagex()`` yields: one ``MockJobs`` per registered resource, as
    ``jobs[name]`` and as a typed attribute of the same name (``batches``, ``exports``,
    ``imports``), and ``aioresponses``.

    The attributes are set from the registry; only their annotations are written here,
    one line per resource, because a type checker cannot read a loop. A test holds the
    annotations to the registry (names and models), so a new resource without its line
    fails there.
    """

    batches: MockJobs[Batch]
    exports: MockJobs[Export]
    imports: MockJobs[Import]

    def __init__(self, mocked: aioresponses, base_url: str) -> None:
        self.aioresponses = mocked
        """The underlying aioresponses object, for your other routes (any host)."""
        self.base_url: str = base_url.rstrip("/")
        self.jobs: dict[str, MockJobs[Any]] = {s.name: MockJobs(s, s.model) for s in SPECS}
        """Every registered resource's jobs, by name (``mock.jobs["batches"]``)."""
        for name, jobs in self.jobs.items():
            setattr(self, name, jobs)

    def _install(self) -> None:
        from aioresponses import CallbackResult

        for jobs in self.jobs.values():
            spec = jobs.spec
            pattern = re.compile(re.escape(self.base_url + spec.path) + r"(/[^/?]+)?/?(\?.*)?$")

            def serve(url: yarl.URL, jobs: MockJobs[Any] = jobs, **_: Any) -> Any:
                status, envelope = jobs.answer("GET", url)
                return CallbackResult(
                    status=status,
                    body=orjson.dumps(envelope),
                    content_type="application/json",
                    response_class=compat_response_class(),
                )

            self.aioresponses.get(pattern, callback=serve, repeat=True)


@contextlib.contextmanager
def mock_packagex(base_url: str = DEFAULT_BASE_URL, **options: Any) -> Iterator[MockPackageX]:
    """Mock the PackageX API at ``base_url`` for the ``with`` block, on aioresponses.

        with mock_packagex() as api:
            api.batches.add(make_batch(id="bat_1", status="processing"))
            api.batches.fail("bat_gone", status=404)
            async with PackageX("pxk_test") as px:
                batch = await px.batches.retrieve("bat_1")

    ``options`` go to ``aioresponses()`` (``passthrough=[...]`` for hosts to reach for
    real). A request nothing matches fails as aioresponses fails it (a connection
    error). Creates (``POST``) are not served: add them with ``api.aioresponses.post``.
    """
    with _aioresponses_class()(**options) as mocked:
        api = MockPackageX(mocked, base_url)
        api._install()
        yield api


_sequence = itertools.count(1)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def _check_fields(model: type[Any], fields: dict[str, Any]) -> None:
    unknown = sorted(set(fields) - set(attrs.fields_dict(model)))
    if unknown:
        allowed = ", ".join(attrs.fields_dict(model))
        raise PackageXTypeError(
            f"make_{model.__name__.lower()}() has no field {', '.join(unknown)}; fields: {allowed}"
        )


Defaults: TypeAlias = Callable[[int, datetime.datetime], dict[str, Any]]
"""A factory's realistic values, from the model's sequence number and the time now."""


def _make(model: type[M], prefix: str, defaults: Defaults, fields: dict[str, Any]) -> M:
    """``model`` from ``defaults`` overridden by ``fields`` (each a field of ``model``).

    What every factory shares: the check of the field names, an id unique per process
    (``<prefix>_mock000001``...), the organisation, and ``*_url`` fields left ``None``.
    """
    _check_fields(model, fields)
    number = next(_sequence)
    values = {
        "id": f"{prefix}_mock{number:06d}",
        "organization_id": "org_mock",
        **defaults(number, _now()),
        **fields,
    }
    return model(**values)


def make_batch(**fields: Any) -> Batch:
    """A completed shipment batch, as the API would describe it; ``fields`` override any part.

    Ids are unique per process (``bat_mock000001``...); ``*_url`` fields stay ``None``
    unless given.
    """
    return _make(Batch, "bat", _batch_defaults, fields)


def _batch_defaults(number: int, now: datetime.datetime) -> dict[str, Any]:
    return {
        "resource": BatchResource.SHIPMENT,
        "mode": BatchMode.ASYNC,
        "via": BatchVia.API,
        "action": BatchAction.MERGE,
        "status": BatchStatus.COMPLETED,
        "phases": [
            BatchPhase(name="processing", mode=BatchMode.ASYNC, total=10, processed=10, success=10)
        ],
        "stats": BatchStats(created=10),
        "created_at": now - datetime.timedelta(minutes=5),
        "updated_at": now,
        "updated_by": "api",
    }


def make_export(**fields: Any) -> Export:
    """A completed shipment export of 100 records; ``fields`` override any part.

    Ids are unique per process (``exp_mock000001``...); ``*_url`` fields stay ``None``
    unless given.
    """
    return _make(Export, "exp", _export_defaults, fields)


def _export_defaults(number: int, now: datetime.datetime) -> dict[str, Any]:
    return {
        "name": f"Shipments export {number}",
        "resource": ExportResource.SHIPMENT,
        "status": ExportStatus.COMPLETED,
        "count_batches": 1,
        "count_total": 100,
        "created_at": now - datetime.timedelta(minutes=2),
        "updated_at": now,
    }


def make_import(**fields: Any) -> Import:
    """A completed contact import of 10 rows from a CSV file, none rejected, its upload
    kept; ``fields`` override any part.

    Ids are unique per process (``imp_mock000001``...); ``*_url`` fields stay ``None``
    unless given. Its phases are the six the docs name (their list is cut before the
    seventh), each done.
    """
    return _make(Import, "imp", _import_defaults, fields)


_IMPORT_PHASES = (
    "prevalidation",
    "preparsing",
    "transforming",
    "parsing",
    "validation",
    "processing",
)


def _import_defaults(number: int, now: datetime.datetime) -> dict[str, Any]:
    return {
        "name": f"Contacts import {number}",
        "resource": ImportResource.CONTACT,
        "mode": ImportUploadMode.SYNC,
        "via": BatchVia.FILE,
        "action": BatchAction.MERGE,
        "status": ImportStatus.COMPLETED,
        "phases": [
            BatchPhase(name=name, mode=BatchMode.SYNC, total=10, processed=10, success=10)
            for name in _IMPORT_PHASES
        ],
        "stats": BatchStats(created=10),
        "column_mapping": {"name": "Name", "email": "Email"},
        "has_upload_file": True,
        "has_errors_file": False,
        "created_at": now - datetime.timedelta(minutes=3),
        "updated_at": now,
        "created_by": "usr_mock",
        "updated_by": "usr_mock",
    }
