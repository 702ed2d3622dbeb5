"""The API host: requests that carry the key, and the envelopes they answer with."""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from typing import Any, TypeVar

import orjson
import yarl
from multidict import CIMultiDict, CIMultiDictProxy

from ._parse import Parse
from ._pipeline import Pipeline
from ._redact import Redactor
from ._request import Request, api_timeout

__all__ = ["Api"]

T = TypeVar("T")


class Api:
    """Builds authenticated API requests and sends them through the pipeline."""

    def __init__(
        self,
        pipeline: Pipeline,
        *,
        base_url: str,
        headers: Mapping[str, str] | None,
        redactor: Redactor,
        timeout: float,
    ) -> None:
        """``headers``: the key and other API headers, or ``None`` when the session sends them."""
        self._pipeline = pipeline
        self._base_url = base_url
        # Built once in the form aiohttp merges them in, instead of converted per request.
        self._headers = None if headers is None else CIMultiDictProxy(CIMultiDict(headers))
        self._redactor = redactor
        self._timeout = timeout
        self._client_timeout = api_timeout(timeout)

    def get(self, path: str, query: Mapping[str, str], parse: Parse[T]) -> Awaitable[T]:
        """GET ``path`` (already percent-encoded); awaiting it gives ``parse`` of the body.

        ``parse`` is the codec's reader of the answer (``Pipeline.parsed``).
        """
        url = yarl.URL(self._base_url + path, encoded=True)
        if query:  # ``with_query({})`` costs as much as building the URL
            url = url.with_query(query)
        # ``Request.api`` spelled out: this runs for every read.
        request = Request(
            "GET",
            url,
            self._redactor,
            self._client_timeout,
            self._timeout,
            headers=self._headers,
        )
        return self._pipeline.parsed(request, parse)

    async def post(
        self, path: str, body: Mapping[str, Any], parse: Parse[T], *, if_unsure: str
    ) -> T:
        """POST ``body`` as JSON to ``path``; ``parse`` of the answer (a create, HTTP 201).

        A create is not safe to repeat: the pipeline resends it only when the server
        certainly did not act on it, and ``if_unsure`` is what a failure says otherwise.
        """
        url = yarl.URL(self._base_url + path, encoded=True)
        request = Request.api(
            "POST",
            url,
            headers={**(self._headers or {}), "Content-Type": "application/json"},
            redactor=self._redactor,
            timeout=self._timeout,
            body=orjson.dumps(body),
            if_unsure=if_unsure,
        )
        return await self._pipeline.parsed(request, parse)
