"""The full way's checks of the envelope, word for word, and a fresh converter's rules.

The pipeline puts these texts after the method and path (``GET /v1/batches: the
answer does not have the documented shape: ...``); a user reads them to see what the
server sent wrong.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from packagex_async._codec._converter import make_converter
from packagex_async._codec._decode import decode_object, decode_page, parse
from packagex_async._http import Misshapen, NotEnvelope
from packagex_async.models import Batch, BatchPhase, BatchStatus, Export, Page, Pagination

GOOD = {"page": 2, "limit": 3, "has_more": True, "total_count": 9}


@pytest.mark.parametrize(
    ("envelope", "problem"),
    [
        ({"data": {}}, "'data' should be an array, got dict"),
        ({"data": None}, "'data' should be an array, got null"),
        ({"data": []}, "'pagination' should be an object, got nothing"),
        ({"data": [], "pagination": []}, "'pagination' should be an object, got list"),
        ({"data": [], "pagination": {**GOOD, "has_more": "yes"}},
         "pagination.has_more should be a boolean, got 'yes'"),
        ({"data": [], "pagination": {**GOOD, "page": 0}},
         "pagination.page should be an integer >= 1, got 0"),
        ({"data": [], "pagination": {**GOOD, "limit": "3"}},
         "pagination.limit should be an integer >= 1, got '3'"),
        ({"data": [], "pagination": {**GOOD, "total_count": -1}},
         "pagination.total_count should be an integer >= 0, got -1"),
        ({"data": [{"id": ""}], "pagination": GOOD},
         "the page could not be read: field 'id' must be a non-empty string, got ''"),
    ],
)  # fmt: skip
def test_a_page_without_the_documented_shape_says_what_is_wrong(
    envelope: dict[str, Any], problem: str
) -> None:
    with pytest.raises(Misshapen) as caught:
        decode_page(envelope, Batch, page=2, limit=3)

    assert str(caught.value) == problem


def test_a_page_reads_its_pagination_or_the_one_asked_for() -> None:
    read = decode_page({"data": [{"id": "b"}], "pagination": GOOD}, Batch, page=5, limit=6)
    null = decode_page({"data": [], "pagination": None}, Batch, page=5, limit=6)

    assert read == Page([Batch("b")], Pagination(2, 3, True, 9))
    assert null == Page([], Pagination(5, 6, False, None))
    lenient = {**GOOD, "has_more": "false", "total_count": None}
    assert decode_page({"data": [], "pagination": lenient}, Batch, page=1, limit=1).pagination == (
        Pagination(2, 3, False, None)
    )


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ([], "'data' should be an object, got list"),
        (None, "'data' should be an object, got null"),
        ("e", "'data' should be an object, got str"),
        ({"id": "e", "created_at": "soon"}, "the Export could not be read: Invalid isoformat"),
    ],
)
def test_an_object_without_the_documented_shape_says_what_is_wrong(data: Any, problem: str) -> None:
    with pytest.raises(Misshapen) as caught:
        decode_object({"data": data}, Export)

    assert str(caught.value).startswith(problem)
    assert caught.value.__cause__ is None  # the converter's exception is not chained


@pytest.mark.parametrize("body", [b"", b"null", b"[]", b'{"x": 1}', b"{", b"\xef\xbb\xbf{}"])
def test_a_body_that_is_not_the_envelope_is_not_an_envelope(body: bytes) -> None:
    with pytest.raises(NotEnvelope, match="^not the JSON envelope$"):
        parse(body)


def test_the_envelope_is_the_json_object() -> None:
    assert parse(b'{"data": 1, "x": [2]}') == {"data": 1, "x": [2]}


def test_a_fresh_converter_has_every_rule_both_ways() -> None:
    made = make_converter()
    raw = {
        "id": "b",
        "status": "failed",
        "mode": "someday",
        "created_at": 1_700_000_000_000,
        "updated_at": "2023-11-14T22:13:20Z",
        "phases": [{"name": "parsing", "mode": "sync", "total": None}],
    }

    batch = made.structure(raw, Batch)

    assert batch.status is BatchStatus.FAILED
    assert batch.mode == "someday"
    stamp = datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)
    assert (batch.created_at, batch.updated_at) == (stamp, stamp)
    assert batch.phases == [BatchPhase("parsing", "sync", 0)]
    assert made.structure("true", bool) is True
    with pytest.raises(TypeError, match="expected a boolean"):
        made.structure("yes", bool)
    plain = made.unstructure(batch)
    assert type(plain["status"]) is str
    assert plain["status"] == "failed"
    assert type(plain["phases"][0]["mode"]) is str
    assert plain["created_at"] is batch.created_at
    assert made.unstructure(Pagination(1, 2, False, None)) == {
        "page": 1,
        "limit": 2,
        "has_more": False,
        "total_count": None,
    }
