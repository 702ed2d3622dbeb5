"""A client's settings: checked once, read-only, copied with changes by ``with_options``."""

from __future__ import annotations

import ipaddress
import os
from typing import Any

import attrs
import yarl

from ._http import where
from ._params import (
    check_int,
    check_number,
    check_positive_int,
    check_seconds,
    check_text,
    wrong_type,
    wrong_value,
)

__all__ = [
    "API_KEY_ENV_VAR",
    "BASE_URL_ENV_VAR",
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_POLL_INTERVAL",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_POLL_INTERVAL",
    "DEFAULT_TIMEOUT",
    "DEFAULT_WAIT_TIMEOUT",
    "PER_CALL_OPTIONS",
    "Settings",
    "check_base_url",
    "resolve_api_key",
]

DEFAULT_BASE_URL = "https://api.packagex.io"
DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
DEFAULT_TIMEOUT = 60.0
"""Seconds per attempt of one request."""
DEFAULT_MAX_RETRIES = 2
DEFAULT_WAIT_TIMEOUT = 600.0
"""Seconds ``wait()`` / ``run()`` wait for a job to finish."""
DEFAULT_POLL_INTERVAL = 1.0
"""Seconds between ``wait()``'s first polls; they grow to ``DEFAULT_MAX_POLL_INTERVAL``."""
DEFAULT_MAX_POLL_INTERVAL = 15.0
API_KEY_ENV_VAR = "PX_API_KEY"
BASE_URL_ENV_VAR = "PX_BASE_URL"

PER_CALL_OPTIONS = (
    "timeout",
    "max_retries",
    "retry_initial_delay",
    "retry_max_delay",
    "max_response_bytes",
)
"""What ``with_options`` may change; the rest is shared by every client of one pool."""


@attrs.frozen
class Settings:
    """Every setting of a client, each checked by the one argument rule (``checked``)."""

    base_url: str
    timeout: float
    max_retries: int
    retry_initial_delay: float
    retry_max_delay: float
    rate_limit: float | None
    connection_limit: int
    max_response_bytes: int

    @classmethod
    def checked(cls, **values: Any) -> Settings:
        """Settings from the caller's ``values``, each checked before anything is built."""
        rate_limit = values["rate_limit"]
        return cls(
            base_url=check_base_url(values["base_url"]),
            timeout=check_seconds("timeout", values["timeout"]),
            max_retries=check_int("max_retries", values["max_retries"], minimum=0),
            retry_initial_delay=check_seconds(
                "retry_initial_delay", values["retry_initial_delay"], allow_zero=True
            ),
            retry_max_delay=check_seconds(
                "retry_max_delay", values["retry_max_delay"], allow_zero=True
            ),
            rate_limit=None
            if rate_limit is None
            else check_number("rate_limit", rate_limit, unit="requests per second"),
            connection_limit=check_positive_int("connection_limit", values["connection_limit"]),
            max_response_bytes=check_positive_int(
                "max_response_bytes", values["max_response_bytes"]
            ),
        )

    def replace(self, **changes: Any) -> Settings:
        """A copy with per-call ``changes``, checked; anything else is refused by name.

        A setting of the pool (``rate_limit``...) and a name that is no setting at all
        (a typo) get different messages: "cannot change" would send the author of
        ``timout=`` looking for the wrong problem.
        """
        refused = sorted(set(changes) - set(PER_CALL_OPTIONS))
        if refused:
            shared = [name for name in refused if name in attrs.fields_dict(Settings)]
            problem = (
                f"cannot change {', '.join(shared)}: shared by the clients of one connection pool"
                if shared
                else f"has no option {', '.join(refused)}"
            )
            wrong_type(
                f"with_options() {problem}; the options it takes: {', '.join(PER_CALL_OPTIONS)}"
            )
        return Settings.checked(**{**attrs.asdict(self), **changes})


def resolve_api_key(api_key: str | None) -> str:
    """The key from the argument or ``PX_API_KEY``; never echoed in a message."""
    key = api_key if api_key is not None else os.environ.get(API_KEY_ENV_VAR)
    if key is None:
        wrong_value(
            f"no API key: pass PackageX(api_key=...) or set the {API_KEY_ENV_VAR} "
            "environment variable"
        )
    if not isinstance(key, str):
        wrong_type(f"api_key must be a string, got {type(key).__name__}")
    if not key or key != key.strip() or any(ch.isspace() or ord(ch) < 32 for ch in key):
        wrong_value("api_key is empty or contains whitespace or control characters")
    return key


def check_base_url(base_url: Any) -> str:
    """The API's root URL; messages show it only as ``where()`` does (no credentials)."""
    text = check_text("base_url", base_url)
    if "?" in text or "#" in text:
        wrong_value(f"base_url must not carry a query or a fragment, got {where(text)} with one")
    try:
        url = yarl.URL(text)
    except ValueError:
        wrong_value("base_url is not a valid URL")
    if url.scheme not in ("https", "http") or not url.host:
        wrong_value(f"base_url must be an https:// URL with a host, got {where(text)}")
    if url.user or url.password:
        wrong_value("base_url must not carry credentials")
    if url.scheme == "http" and not _is_loopback(url.host):
        wrong_value(
            f"base_url {where(text)} uses plain http://, which would send the API key "
            "unencrypted; use https:// (http:// is allowed only for loopback hosts)"
        )
    return text.rstrip("/")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
