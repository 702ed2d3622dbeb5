"""Exit codes and one-line error messages: what a shell script can rely on.

Scripts branch on the code (``packagex batches wait ID || ...``), people read the
message, so every failure the CLI expects maps to one documented code and one line.
"""

from __future__ import annotations

from .._errors import (
    APITimeoutError,
    AuthenticationError,
    FileNotAvailableError,
    NotFoundError,
    PackageXError,
    PackageXTypeError,
    PackageXValueError,
    PermissionDeniedError,
    WaitTimeoutError,
)

__all__ = [
    "AUTH",
    "EXIT_CODES_HELP",
    "EXPECTED_ERRORS",
    "FAILURE",
    "INTERRUPTED",
    "JOB_FAILED",
    "NOT_FOUND",
    "OK",
    "PIPE_CLOSED",
    "TIMEOUT",
    "USAGE",
    "CLIError",
    "exit_code",
    "one_line",
]

OK = 0
FAILURE = 1
USAGE = 2
AUTH = 3
NOT_FOUND = 4
TIMEOUT = 5
JOB_FAILED = 6
INTERRUPTED = 130
PIPE_CLOSED = 141

EXIT_CODES_HELP = """\
exit codes:
  0    success
  1    any other error (connection, server, file, ...)
  2    usage: unknown command or option, bad option value
  3    authentication: no API key, or the key was rejected (401/403)
  4    not found: no such batch or export, or the file does not exist
  5    timeout: wait --timeout passed, or the API did not answer in time
  6    wait: the job ended without completing (failed, timed_out, expired)
  130  interrupted (Ctrl-C)
  141  the output pipe was closed (e.g. | head)
"""


class CLIError(Exception):
    """A failure the CLI itself detects (no API key, unreadable key file), with its code."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


EXPECTED_ERRORS = (CLIError, PackageXError, OSError)
"""What ``main`` reports as one line; anything else is a bug and keeps its traceback.

The SDK's argument errors are ``PackageXValueError`` / ``PackageXTypeError``, so a
plain ``ValueError`` or ``TypeError`` here is a bug, not the user's mistake."""

_HINTS: dict[type[BaseException], str] = {
    AuthenticationError: " (check PX_API_KEY or --api-key-file)",
}


def exit_code(error: BaseException) -> int:
    """The documented exit code for an expected error."""
    if isinstance(error, CLIError):
        return error.code
    if isinstance(error, (AuthenticationError, PermissionDeniedError)):
        return AUTH
    if isinstance(error, (NotFoundError, FileNotAvailableError)):
        return NOT_FOUND
    if isinstance(error, (WaitTimeoutError, APITimeoutError)):
        return TIMEOUT
    if isinstance(error, (PackageXValueError, PackageXTypeError)):  # checked before sending
        return USAGE
    return FAILURE


def one_line(error: BaseException) -> str:
    """The error's message on one line, with a hint where the fix is usually the same.

    A listing stopped mid-way says where to resume, in the CLI's terms (``--page 3``),
    rendered from ``error.page``; the SDK's own wording of it is not used.
    """
    text = error.detail if isinstance(error, PackageXError) else str(error)
    text = " ".join(text.split()) or type(error).__name__
    page = error.resumes_at if isinstance(error, PackageXError) else None
    if page is not None:
        text += f" (listing stopped at page {page}; resume with --page {page})"
    return text + _HINTS.get(type(error), "")
