"""What a body parser may tell the pipeline: the pipeline knows bytes, not models.

A resource hands ``Pipeline.parsed`` a function from the body's bytes to its
result (the codec's readers). It returns the result, or raises one of these two,
and the pipeline turns them into the failure that decides a retry:

- ``NotEnvelope``: the body is not the JSON envelope at all (cut short, an HTML
  page, ``data`` missing). Like a dropped answer: a read is resent, a write may
  have been acted on.
- ``Misshapen``: the envelope is there but does not have the documented shape
  (``data`` a list for an object, an ``id`` missing, a bad ``created_at``).
  Sending again cannot help; a write *was* acted on (the server answered 2xx).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

__all__ = ["Misshapen", "NotEnvelope", "Parse"]

T = TypeVar("T")

Parse = Callable[[bytes], T]
"""A body to its result; raises ``NotEnvelope`` or ``Misshapen`` when it cannot."""


class NotEnvelope(ValueError):
    """The body is not a JSON object with a ``data`` key."""


class Misshapen(ValueError):
    """The envelope does not have the documented shape; ``str()`` says what is wrong."""
