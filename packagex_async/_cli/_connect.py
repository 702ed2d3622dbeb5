"""The API key and the client: from the environment or a file, never silently from argv.

A key given as ``--api-key`` is visible to every user of the machine in the process
list (``ps``), so it works but always warns; ``PX_API_KEY`` or ``--api-key-file``
keep it out of sight.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TextIO

from .._client import API_KEY_ENV_VAR, PackageX
from ._exits import AUTH, CLIError

__all__ = ["ARGV_KEY_WARNING", "connect", "resolve_api_key"]

ARGV_KEY_WARNING = (
    "packagex: warning: --api-key is visible to other users in the process list; "
    f"prefer {API_KEY_ENV_VAR} or --api-key-file\n"
)


def connect(args: argparse.Namespace, err: TextIO) -> PackageX:
    """A client for ``--base-url`` with the resolved key (a bad URL is a usage error)."""
    return PackageX(
        resolve_api_key(args, err), base_url=args.base_url, timeout=args.request_timeout
    )


def resolve_api_key(args: argparse.Namespace, err: TextIO) -> str:
    """``--api-key`` (with a warning), else ``--api-key-file``, else ``PX_API_KEY``."""
    if args.api_key is not None:
        err.write(ARGV_KEY_WARNING)
        return str(args.api_key)
    if args.api_key_file is not None:
        return _read_key_file(args.api_key_file)
    key = os.environ.get(API_KEY_ENV_VAR)
    if not key:
        raise CLIError(f"no API key: set {API_KEY_ENV_VAR} or pass --api-key-file PATH", AUTH)
    return key


def _read_key_file(path: str) -> str:
    """The key file's content without surrounding whitespace; ``-`` reads stdin."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise CLIError(f"cannot read the API key file {path}: {reason}", AUTH) from error
    key = text.strip()
    if not key:
        raise CLIError(f"the API key file {path} is empty", AUTH)
    return key
