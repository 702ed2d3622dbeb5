"""The one request pipeline, for the API and storage hosts alike (see ``_pipeline``).

Bytes in, bytes out: a resource hands the pipeline a parser from the codec
(``_parse``), and the pipeline knows no model. Around it: the sessions it sends on
(``_session``), where they go (``_network``: proxies, TLS), when a request may start
(``_pacing``, and ``_redis_pacing`` shared by many processes), what it retries
(``_retry``, ``_failures``), what text may leave (``_redact``) and how storage bodies
are inflated and checked (``_inflate``). Its names are imported on first use
(``_lazy``): the command line's help and completion need ``where`` and the
redaction helpers, not aiohttp.
"""

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:
    from ._api import Api
    from ._pacing import Pacer
    from ._parse import Misshapen, NotEnvelope, Parse
    from ._pipeline import Pipeline, Rejected, chunks
    from ._redact import Redactor, where
    from ._request import Request
    from ._retry import RetryPolicy, set_testing, testing_enabled

__all__ = [
    "Api",
    "Misshapen",
    "NotEnvelope",
    "Pacer",
    "Parse",
    "Pipeline",
    "Redactor",
    "Rejected",
    "Request",
    "RetryPolicy",
    "chunks",
    "set_testing",
    "testing_enabled",
    "where",
]

if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(
        __name__,
        {
            "Api": "._api",
            "Misshapen": "._parse",
            "NotEnvelope": "._parse",
            "Parse": "._parse",
            "Pacer": "._pacing",
            "Pipeline": "._pipeline",
            "Rejected": "._pipeline",
            "chunks": "._pipeline",
            "Redactor": "._redact",
            "where": "._redact",
            "Request": "._request",
            "RetryPolicy": "._retry",
            "set_testing": "._retry",
            "testing_enabled": "._retry",
        },
    )
