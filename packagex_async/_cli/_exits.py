"""Exit codes and one-line error messages: what a shell script can rely on.

Scripts branch on the code (``packagex batches wait ID || ...``), people read the
message, so every failure the CLI expects maps to one documented code and one line.
"""

from __future__ import annotations

import argparse

from .._errors import (
    APIConnectionError,
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
from ..resources import spec_of

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
  4    not found: no such job, or the file does not exist
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


def one_line(error: BaseException, args: argparse.Namespace | None = None) -> str:
    """The error's message on one line, with a hint only where it applies.

    Hints are rendered from attributes and from where the settings came from
    (``args.settings``, set when the command connected), never by editing the SDK's
    text: the resume hint only for a listing cut after its first page, the key hint
    naming where the key came from, the connect hint naming the base URL's source.
    """
    if isinstance(error, WaitTimeoutError):
        return _still_waiting(error, getattr(args, "timeout", None))
    text = error.detail if isinstance(error, PackageXError) else str(error)
    text = " ".join(text.split()) or type(error).__name__
    return text + _resume_hint(error, args) + _settings_hint(error, args)


def _still_waiting(error: WaitTimeoutError, timeout: float | None) -> str:
    """``wait`` ran out of time: say so in commands, not in the SDK's ``wait()``."""
    after = f"after --timeout {timeout:g}s" if timeout is not None else "after the timeout"
    job = error.last
    if job is None:
        return f"no answer from the API {after}; run the same command again"
    job_id, status = getattr(job, "id", "?"), getattr(job, "status", "?")
    spec = spec_of(type(job))
    group = spec.name if spec is not None else "<resource>"
    return (
        f"{job_id} is still {status} {after}; "
        f"to keep waiting: packagex {group} wait {job_id} --timeout SECONDS"
    )


def _resume_hint(error: BaseException, args: argparse.Namespace | None) -> str:
    page = error.resumes_at if isinstance(error, PackageXError) else None
    started = getattr(args, "page", None)
    if page is None or (started is not None and page <= started):
        return ""  # nothing was listed yet: running the same command again is the fix
    return f" (listing stopped at page {page}; resume with --page {page})"


def _settings_hint(error: BaseException, args: argparse.Namespace | None) -> str:
    settings = getattr(args, "settings", None)
    if settings is None:
        return ""
    if isinstance(error, (AuthenticationError, PermissionDeniedError)):
        source = settings.api_key.source if settings.api_key else "nowhere"
        return f" (the API key came from {source})"
    if isinstance(error, APIConnectionError) and not isinstance(error, APITimeoutError):
        return (
            f" (is {settings.base_url.value} right? it came from {settings.base_url.source}; "
            "set --base-url or --profile)"
        )
    return ""
