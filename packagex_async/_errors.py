"""The exceptions the SDK raises, one class per failure a caller may want to handle.

    PackageXError
    ├── PackageXValueError        an argument of yours has a wrong value (also a ValueError)
    ├── PackageXTypeError         an argument of yours has a wrong type (also a TypeError)
    ├── APIStatusError            the API answered with an error status (envelope decoded)
    │   ├── BadRequestError       400
    │   ├── AuthenticationError   401
    │   ├── PermissionDeniedError 403
    │   ├── NotFoundError         404
    │   ├── RateLimitError        429 (``retry_after`` in seconds, when the server said)
    │   └── InternalServerError   >= 500
    ├── APIConnectionError        no usable answer: connection refused, reset, cut short
    │   └── APITimeoutError       an attempt ran past ``timeout``
    ├── APIResponseValidationError  a 2xx answer that is not the documented envelope
    │   └── ResponseTooLargeError  the body passed ``max_response_bytes`` (after decompression)
    ├── PaginationError           the pages contradict themselves (would loop or skip)
    ├── FileNotAvailableError     the object has no such file (URL null: flag or setting)
    ├── FileDownloadError         the storage host refused a presigned URL (``status``)
    │   └── FileURLExpiredError   403: expired or refused; retrieve the object again
    ├── WaitTimeoutError          a job was not finished within ``wait(timeout=...)``
    └── JobFailedError            ``run()``: the job ended failed, timed_out or expired

Messages never contain the API key or a presigned URL's signature: the request
pipeline builds them from text redacted by ``_http._redact``, and no exception of the
HTTP library (whose text and ``request_info`` hold both) is ever chained to them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from .models import JobModel as _JobModel

JobModel: TypeAlias = "_JobModel"
"""What ``WaitTimeoutError.last`` and ``JobFailedError.job`` hold: ``models.JobModel``."""

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "FileDownloadError",
    "FileNotAvailableError",
    "FileURLExpiredError",
    "InternalServerError",
    "JobFailedError",
    "NotFoundError",
    "PackageXError",
    "PackageXTypeError",
    "PackageXValueError",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "WaitTimeoutError",
    "status_error_class",
    "storage_error_class",
]


class PackageXError(Exception):
    """Base of every error this SDK raises on purpose.

    ``page`` is set when the error stopped a listing: the page that could not be
    fetched, which is also where ``list(page=...)`` resumes. ``str()`` renders the
    resume hint from it; ``detail`` is the message without the hint.
    """

    page: int | None = None
    outcome_unknown: str | None = None
    """Set when a write (a create) failed after it may have reached the server: the
    job may or may not exist, and this says how to find it. ``str()`` includes it."""
    _resumable = True

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as class, ``args`` and attributes, without calling ``__init__`` again.

        The default (``cls(*args)``) fails for every class with keyword-only
        arguments, which broke errors raised in a ``ProcessPoolExecutor`` worker.
        """
        return (_restore, (type(self), self.args), self.__dict__)

    def at_page(self, page: int) -> None:
        """Record that this error stopped a listing at ``page``."""
        self.page = page

    @property
    def detail(self) -> str:
        """The message, without the hint about where a listing resumes."""
        return super().__str__()

    @property
    def resumes_at(self) -> int | None:
        """The page to pass to ``list(page=...)`` to go on, if this error stopped a listing."""
        return self.page if self._resumable else None

    def __str__(self) -> str:
        text = self.detail
        page = self.resumes_at
        if page is not None:
            text += f" (listing stopped at page {page}; resume with list(page={page}))"
        if self.outcome_unknown is not None:
            text += f". {self.outcome_unknown}"
        return text


class PackageXValueError(PackageXError, ValueError):
    """An argument has the right type but a value the SDK or the API does not allow.

    Raised before any request. Also a ``ValueError``, so ``except ValueError`` works;
    being a ``PackageXError`` tells it apart from a bug (the CLI relies on that).
    """


class PackageXTypeError(PackageXError, TypeError):
    """An argument has the wrong type; raised before any request. Also a ``TypeError``."""


class APIStatusError(PackageXError):
    """The API answered with a non-success status.

    ``status`` is the HTTP status; ``code``, ``message``, ``errors`` and ``endpoint``
    come from the response envelope when it had one (HTML error pages do not).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: str | None = None,
        errors: list[Any] | None = None,
        endpoint: str | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.errors: list[Any] = errors if errors is not None else []
        self.endpoint = endpoint
        super().__init__(self._describe())

    def _describe(self) -> str:
        where = f" from {self.endpoint}" if self.endpoint else ""
        code = f" [{self.code}]" if self.code else ""
        text = f"HTTP {self.status}{code}{where}: {self.message}"
        if self.errors:
            text += f" (errors: {self.errors})"
        return text


class BadRequestError(APIStatusError):
    """400: the API rejected the request's parameters; see ``errors``."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, wrong or revoked."""


class PermissionDeniedError(APIStatusError):
    """403: the key is valid but may not see this object."""


class NotFoundError(APIStatusError):
    """404: no object with this id (or it expired: exports are kept 24 hours)."""


class RateLimitError(APIStatusError):
    """429: too many requests. ``retry_after`` is the server's wait in seconds, if given."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: Any) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kw)


class InternalServerError(APIStatusError):
    """5xx: the API failed; retried automatically before this is raised."""


class APIConnectionError(PackageXError):
    """No usable HTTP answer arrived (refused, reset, cut short, DNS...)."""


class APITimeoutError(APIConnectionError):
    """One attempt ran longer than the client's ``timeout`` (seconds per attempt)."""


class APIResponseValidationError(PackageXError):
    """A success status whose body is not the documented envelope (HTML, bad JSON, shapes).

    ``status`` is the HTTP status and ``body`` the first bytes of the body, for diagnosis.
    """

    def __init__(self, message: str, *, status: int, body: bytes = b"") -> None:
        self.status = status
        self.body = body
        super().__init__(message)


class ResponseTooLargeError(APIResponseValidationError):
    """The answer's body grew past ``limit`` bytes (``max_response_bytes``) while being read.

    Measured after decompression, so a small compressed body cannot inflate without
    bound. Not retried: the same request would get the same answer.
    """

    def __init__(self, message: str, *, status: int, limit: int) -> None:
        super().__init__(message, status=status)
        self.limit = limit


class PaginationError(PackageXError):
    """The API's pages contradict each other, so continuing would loop or skip items.

    ``page`` is the page number the problem was seen on; resuming there would meet
    the same problem, so no resume hint is rendered: list again instead.
    """

    _resumable = False

    def __init__(self, message: str, *, page: int) -> None:
        super().__init__(message)
        self.page: int | None = page


class FileNotAvailableError(PackageXError):
    """The object has no URL for this file; the message says which flag or setting is missing."""


class FileDownloadError(PackageXError):
    """The storage host answered a presigned URL with an error ``status``."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


class FileURLExpiredError(FileDownloadError):
    """403 from storage: the presigned URL expired or was refused; get a fresh one."""


class WaitTimeoutError(PackageXError):
    """``wait()`` gave up before the job reached a final status.

    ``last`` is the job as last seen (a ``Batch`` or an ``Export``), or None when no
    poll answered before the deadline.
    """

    def __init__(self, message: str, *, last: JobModel | None) -> None:
        super().__init__(message)
        self.last: JobModel | None = last


class JobFailedError(PackageXError):
    """A job ``run()`` started ended without completing; ``job`` is it, as last seen."""

    def __init__(self, message: str, *, job: JobModel) -> None:
        super().__init__(message)
        self.job: JobModel = job


def _restore(cls: type[PackageXError], args: tuple[Any, ...]) -> PackageXError:
    """An unpickled error: ``args`` set as ``BaseException`` does, attributes set after."""
    return cls.__new__(cls, *args)


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
}


def status_error_class(status: int) -> type[APIStatusError]:
    """The most specific error class for an HTTP status."""
    if status >= 500:
        return InternalServerError
    return _BY_STATUS.get(status, APIStatusError)


def storage_error_class(status: int) -> type[FileDownloadError]:
    """The error class for a storage host's error status: 403 means the URL is spent."""
    return FileURLExpiredError if status == 403 else FileDownloadError
