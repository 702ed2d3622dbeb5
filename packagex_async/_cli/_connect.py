"""The client for a command, from the effective settings (``_config``).

A key given as ``--api-key`` is visible to every user of the machine in the process
list (``ps``), so it works but always warns; ``PX_API_KEY``, ``--api-key-file`` or a
profile keep it out of sight. The settings are kept on ``args`` so an error can
name where the key or the URL came from.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from .._client import API_KEY_ENV_VAR, PackageX
from .._redis_pacing import RedisPacing
from ._config import Setting, resolve
from ._exits import AUTH, USAGE, CLIError

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
    return PackageX(
        settings.api_key.value,
        base_url=settings.base_url.value,
        timeout=settings.timeout.value,
        max_retries=settings.max_retries.value,
        pacing=_pacing(settings.redis),
    )


def _pacing(redis: dict[str, Setting]) -> RedisPacing | None:
    """``RedisPacing`` from ``--redis-url`` / ``redis_url`` (and the namespace), if given."""
    if "redis_url" not in redis:
        return None
    namespace = redis["redis_namespace"].value if "redis_namespace" in redis else "packagex"
    try:
        return RedisPacing(redis["redis_url"].value, namespace=namespace)
    except ImportError as error:
        raise CLIError(str(error), USAGE) from None
