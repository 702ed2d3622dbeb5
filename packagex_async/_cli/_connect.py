"""The client for a command, from the effective settings (``_config``).

A key given as ``--api-key`` is visible to every user of the machine in the process
list (``ps``), so it works but always warns; ``PX_API_KEY``, ``--api-key-file`` or a
profile keep it out of sight. The settings are kept on ``args`` so an error can
name where the key or the URL came from.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from .._settings import API_KEY_ENV_VAR
from ._config import resolve
from ._exits import AUTH, CLIError

if TYPE_CHECKING:
    from .._client import PackageX

__all__ = ["connect"]


def connect(args: argparse.Namespace, err: TextIO) -> PackageX:
    """A client for the effective settings (a bad URL or number is a usage error)."""
    settings = resolve(args, err)
    args.settings = settings
    if settings.api_key is None:
        raise CLIError(
            f"no API key: set {API_KEY_ENV_VAR}, pass --api-key-file PATH, or put api_key "
            "in a profile (see packagex config show)",
            AUTH,
        )
    from .._client import PackageX  # here: help and completion never load aiohttp

    return PackageX(
        settings.api_key.value,
        base_url=settings.base_url.value,
        timeout=settings.timeout.value,
        max_retries=settings.max_retries.value,
    )
