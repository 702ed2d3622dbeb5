"""The one request pipeline, for the API and storage hosts alike (see ``_pipeline``)."""

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
