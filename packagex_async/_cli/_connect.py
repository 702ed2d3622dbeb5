"""The client for a command, from the effective settings (``_config``).

A key given as ``--api-key`` is visible to every user of the machine in the process
list (``ps``), so it works but always warns; ``PX_API_KEY``, ``--api-key-file`` or a
profile keep it out of sight. The settings are kept on ``args`` so an error can
name where the key or the URL came from.
"""

from __future__ import annotations

import argparse
import os
import ssl
from typing import TYPE_CHECKING, TextIO

from .._settings import API_KEY_ENV_VAR
from ._config import Setting, resolve
from ._exits import AUTH, USAGE, CLIError

if TYPE_CHECKING:
    from .._client import PackageX
    from .._http._redis_pacing import RedisPacing

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
        proxy=None if settings.proxy is None else settings.proxy.value,
        ssl=None if settings.ca_bundle is None else _trusting(settings.ca_bundle),
        pacing=_pacing(settings.redis),
    )


def _trusting(ca_bundle: Setting) -> ssl.SSLContext:
    """The default TLS checks, with the CA certificates of ``ca_bundle`` trusted instead."""
    path = os.path.expanduser(str(ca_bundle.value))
    try:
        return ssl.create_default_context(cafile=path)
    except (OSError, ssl.SSLError) as error:
        reason = getattr(error, "strerror", None) or error
        raise CLIError(
            f"cannot use the CA bundle {path} (from {ca_bundle.source}): {reason}", USAGE
        ) from None


def _pacing(redis: dict[str, Setting]) -> RedisPacing | None:
    """``RedisPacing`` from ``--redis-url`` / ``redis_url`` (and the namespace), if given."""
    if "redis_url" not in redis:
        return None
    from .._http._redis_pacing import RedisPacing

    namespace = redis["redis_namespace"].value if "redis_namespace" in redis else "packagex"
    try:
        return RedisPacing(redis["redis_url"].value, namespace=namespace)
    except ImportError as error:
        raise CLIError(str(error), USAGE) from None
