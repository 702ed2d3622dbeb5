"""Where a client's requests go: proxies (explicit or from the environment) and TLS trust.

``Network`` is built once per ``PackageX`` and shared by every client of one session
(``with_options`` included). It decides the proxy of each request itself, instead of
turning on aiohttp's ``trust_env``, for three reasons:

- aiohttp's ``trust_env=True`` also reads ``~/.netrc`` (or ``$NETRC``) and adds an
  ``Authorization: Basic`` header for any host listed there, the API's and a storage
  host's included: a presigned URL would then carry two credentials (S3 refuses
  that), and a netrc entry would silently change how the API request authenticates.
  Our sessions keep ``trust_env=False``, so netrc is never read;
- aiohttp looks the environment up again in a thread for every request; here it is
  read once, when the client is built (as httpx does), and each host's answer kept;
- the proxy's password is handed to the client's redactor, which also masks any
  ``user:password@`` in a URL, so no message or log line about a request shows it
  (aiohttp reads the credentials from the proxy URL itself: ``BasicAuth``, the other
  way, is deprecated in aiohttp 3.14).

An explicit ``proxy=`` is used for every request; the environment's ``HTTPS_PROXY`` /
``HTTP_PROXY`` (by the target URL's scheme) only when ``trust_env`` and only for hosts
``NO_PROXY`` does not exclude. Loopback hosts (``localhost``, ``127.0.0.0/8``, ``::1``)
are always reached directly, as Go's ``net/http`` does: a proxy cannot reach them, and
they are the only hosts the API may be reached over plain ``http://``, where the
proxy would read the key. Every other API request is ``https://``, for which aiohttp
opens a CONNECT tunnel: the proxy sees the host and port, never the request. A borrowed session is
used as is: its own ``trust_env`` and connector decide, and ``proxy=`` / ``ssl=`` are
refused with it rather than half applied.
"""

from __future__ import annotations

import ipaddress
import ssl as ssl_module
import urllib.request

import yarl

from .._params import wrong_type, wrong_value
from ._redact import where

__all__ = ["Network", "check_proxy", "check_ssl"]

_PROXY_SCHEMES = ("http", "https")
_CACHE_LIMIT = 256
"""Hosts whose proxy choice is kept (the API's and a few storage hosts, in practice)."""


class Network:
    """A client's proxy choice per request, and the TLS context of the sessions it makes."""

    def __init__(
        self,
        *,
        proxy: str | None,
        trust_env: bool,
        ssl: ssl_module.SSLContext | None,
    ) -> None:
        self.ssl = check_ssl(ssl)
        self._explicit = None if proxy is None else check_proxy("proxy", proxy)
        self._environment: dict[str, str] = {}
        self._env_proxies: dict[str, yarl.URL] = {}
        if trust_env and self._explicit is None:
            self._read_environment()
        self._chosen: dict[tuple[str, str, int | None], yarl.URL | None] = {}

    @property
    def secrets(self) -> list[str]:
        """The proxy passwords, for the client's redactor."""
        proxies = [self._explicit, *self._env_proxies.values()]
        return [proxy.password for proxy in proxies if proxy is not None and proxy.password]

    @property
    def routes(self) -> bool:
        """Whether any request may go through a proxy (else the pipeline skips the lookup)."""
        return self._explicit is not None or bool(self._env_proxies)

    def proxy_for(self, url: yarl.URL) -> yarl.URL | None:
        """The proxy for a request to ``url``: the explicit one, the environment's, or none."""
        port = url.explicit_port
        key = (url.scheme, url.raw_host or "", port)
        try:
            return self._chosen[key]
        except KeyError:
            choice = self._choose(*key)
            if len(self._chosen) >= _CACHE_LIMIT:
                self._chosen.clear()
            self._chosen[key] = choice
        return choice

    def _choose(self, scheme: str, host: str, port: int | None) -> yarl.URL | None:
        if not host or _is_loopback(host):
            return None
        if self._explicit is not None:
            return self._explicit
        return self._from_environment(scheme, host if port is None else f"{host}:{port}")

    def _read_environment(self) -> None:
        """``HTTP(S)_PROXY`` and ``NO_PROXY`` as the standard library reads them, checked."""
        proxies = urllib.request.getproxies_environment()
        for scheme in _PROXY_SCHEMES:
            value = proxies.get(scheme)
            if value:
                source = f"the {scheme.upper()}_PROXY environment variable"
                self._env_proxies[scheme] = check_proxy(source, value, trust_env_hint=True)
        if "no" in proxies:
            self._environment["no"] = proxies["no"]

    def _from_environment(self, scheme: str, host: str) -> yarl.URL | None:
        choice = self._env_proxies.get(scheme)
        if choice is None:
            return None
        bypass = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]
        if bypass(host, self._environment):
            return None
        return choice


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_proxy(name: str, value: object, *, trust_env_hint: bool = False) -> yarl.URL:
    """A usable proxy URL; messages show it as ``where()`` does, never its credentials."""
    if not isinstance(value, str):
        wrong_type(f"{name} must be a proxy URL string, got {type(value).__name__}")
    text = value.strip()
    if "://" not in text:
        text = f"http://{text}"  # HTTP_PROXY=proxy:3128 is common; curl reads it so too
    hint = "; pass trust_env=False to ignore the environment" if trust_env_hint else ""
    try:
        url = yarl.URL(text)
    except ValueError:
        wrong_value(f"{name} is not a valid URL{hint}")
    if url.scheme not in _PROXY_SCHEMES or not url.host:
        wrong_value(
            f"{name} must be an http:// (or https://) proxy URL with a host, got "
            f"{where(text)}{hint}"
        )
    return url


def check_ssl(value: object) -> ssl_module.SSLContext | None:
    """``ssl=``: an ``ssl.SSLContext`` (``ssl.create_default_context(cafile=...)``) or None."""
    if value is not None and not isinstance(value, ssl_module.SSLContext):
        wrong_type(
            "ssl must be an ssl.SSLContext, e.g. ssl.create_default_context(cafile=...), "
            f"or None, got {type(value).__name__}"
        )
    return value
