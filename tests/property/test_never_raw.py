"""Whatever a server sends, the SDK's own code answers with a PackageXError or a value.

Property-based: hypothesis generates header values, bodies, envelopes and
pagination objects, and each pure step of the pipeline and decoder is held to
"a result or one of our errors, never a raw exception, never a secret in the text".
"""

from __future__ import annotations

import contextlib
import math
from typing import Any

import orjson
import yarl
from hypothesis import given, settings
from hypothesis import strategies as st

from packagex_async import (
    APIResponseValidationError,
    APIStatusError,
    PackageXError,
    PaginationError,
)
from packagex_async._codec._decode import decode_object, decode_page
from packagex_async._http import Misshapen, Redactor, Request
from packagex_async._http._failures import from_status, garbled
from packagex_async._http._retry import Reach, parse_retry_after
from packagex_async._listing._consistency import check_page
from packagex_async.models import Batch

KEY = "pxk_PROPERTY_SECRET_KEY"
SIGNATURE = "SIGPROPERTY9321"
PRESIGNED = f"https://files.example.com/a/b.csv?X-Amz-Expires=300&X-Amz-Signature={SIGNATURE}"

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
header_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)


def api_request() -> Request:
    url = yarl.URL("https://api.example.com/v1/batches?page=2")
    return Request.api("GET", url, headers={"PX-API-KEY": KEY}, redactor=Redactor([KEY]), timeout=5)


def storage_request() -> Request:
    return Request.presigned(yarl.URL(PRESIGNED, encoded=True), redactor=Redactor([KEY]), timeout=5)


@given(header_text | st.sampled_from(["Fri, 31 Dec 99999 23:59:59 GMT", "1e400", "nan", "-5"]))
def test_retry_after_is_a_finite_wait_or_nothing(value: str) -> None:
    wait = parse_retry_after(value, now=1_700_000_000.0)
    assert wait is None or (math.isfinite(wait) and wait >= 0)


@given(st.integers(300, 399), header_text)
def test_any_location_on_a_redirect_is_a_final_status_error(status: int, location: str) -> None:
    for request in (api_request(), storage_request()):
        failure = from_status(request, status, {"Location": location}, b"")
        assert isinstance(failure.error, PackageXError)
        assert failure.reach is Reach.FINAL
        assert SIGNATURE not in str(failure.error)
    assert isinstance(from_status(api_request(), status, {}, b"").error, APIStatusError)


@settings(max_examples=200)
@given(st.integers(400, 599), json_values, st.one_of(st.none(), header_text))
def test_any_error_answer_is_a_status_error_without_secrets(
    status: int, body: Any, retry_after: str | None
) -> None:
    echoed = orjson.dumps({"message": f"bad key {KEY} for {PRESIGNED}", "errors": [body]})
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    for raw in (orjson.dumps(body), echoed, echoed[:57]):
        for request in (api_request(), storage_request()):
            failure = from_status(request, status, headers, raw)
            text = f"{failure.error} {failure.error!r}"
            assert isinstance(failure.error, PackageXError)
            assert KEY not in text
            assert SIGNATURE not in text


@given(json_values)
def test_a_garbled_success_never_leaks_the_key(body: Any) -> None:
    raw = orjson.dumps([body, KEY])
    error = garbled(api_request(), 200, raw).error
    assert isinstance(error, APIResponseValidationError)
    assert KEY not in str(error)
    assert KEY.encode() not in error.body


@settings(max_examples=300)
@given(json_values)
def test_any_retrieve_envelope_decodes_or_is_a_validation_error(data: Any) -> None:
    try:
        batch = decode_object({"data": data}, Batch)
    except Misshapen:  # the pipeline's APIResponseValidationError
        return
    assert isinstance(batch.id, str)
    assert batch.id


pagination_values = st.fixed_dictionaries(
    {},
    optional={
        "page": st.integers(-2, 5) | json_values,
        "limit": st.integers(-2, 5) | json_values,
        "has_more": st.booleans() | json_values,
        "total_count": st.integers(-2, 30) | json_values,
    },
)


@settings(max_examples=300)
@given(
    st.none() | pagination_values | json_values,
    st.lists(st.fixed_dictionaries({"id": st.text(min_size=1, max_size=3)}), max_size=6),
    st.integers(1, 4),
)
def test_any_pagination_is_walkable_or_an_error(
    pagination: Any, items: list[dict[str, Any]], number: int
) -> None:
    """Every decoded page has integer page/limit >= 1 and a real bool, or is refused."""
    envelope = {"data": items, "pagination": pagination}
    try:
        page = decode_page(envelope, Batch, page=number, limit=3)
    except Misshapen:
        return
    meta = page.pagination
    assert type(meta.page) is int
    assert meta.page >= 1
    assert type(meta.limit) is int
    assert meta.limit >= 1
    assert type(meta.has_more) is bool
    assert meta.total_count is None or (type(meta.total_count) is int and meta.total_count >= 0)
    with contextlib.suppress(PaginationError):  # the one error the page checks may raise
        check_page(page, number, None)


def test_a_well_formed_page_passes_the_same_checks() -> None:
    """The properties above are not vacuous: a documented page gets through both steps."""
    good = {"page": 1, "limit": 3, "has_more": False, "total_count": 1}
    page = decode_page({"data": [{"id": "b"}], "pagination": good}, Batch, page=1, limit=3)
    check_page(page, 1, None)
    assert [batch.id for batch in page.data] == ["b"]
