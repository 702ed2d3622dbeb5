"""A create's argument errors, word for word: each names the argument and what is allowed.

The create tests check that a bad argument is refused before sending; these pin the
exact message, so that an error always names the right argument.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from packagex_async import PackageXTypeError, PackageXValueError, since, until
from packagex_async._jobs._creates import (
    BATCH_ARGUMENTS,
    batch_body,
    check_batch_download,
    export_body,
)
from packagex_async.models import BatchAction


def batch(**given: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = dict.fromkeys(BATCH_ARGUMENTS)
    arguments.update(resource="contact", action="merge", data=[{"name": "Ada"}])
    arguments.update(given)
    return batch_body(arguments)


def export(**given: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "resource": "shipment",
        "options": None,
        "csv_field_options": None,
        "extra_body": None,
    }
    arguments.update(given)
    return export_body(**arguments)


CASES: list[tuple[Callable[[], object], type[Exception], str]] = [
    (lambda: until(5), PackageXTypeError,
     "until() takes a datetime.date or datetime.datetime, got 5"),
    (lambda: batch(resource=5), PackageXTypeError, "resource must be one of 'contact', "),
    (lambda: batch(mode=BatchAction.MERGE), PackageXTypeError,
     "mode takes BatchMode members or one of 'sync', 'mixed', got <BatchAction.MERGE: 'merge'>"),
    (lambda: batch(save_upload="yes"), PackageXTypeError,
     "save_upload must be True or False, got 'yes'"),
    (lambda: batch(duplicate_handling="x"), PackageXValueError,
     "duplicate_handling must be one of "),
    (lambda: batch(extra_body=5), PackageXTypeError,
     "extra_body must be a mapping (a dict), got int"),
    (lambda: batch(extra_body={1: 2}), PackageXTypeError,
     "a key of extra_body must be a string, got int"),
    (lambda: batch(extra_body={"x": object()}), PackageXTypeError,
     "the create's body cannot be sent as JSON: Type is not JSON serializable: object"),
    (lambda: batch(data=[{"w": float("nan")}]), PackageXValueError,
     "numbers must be finite and fit in 64 bits: data[0]['w'] is nan "
     "(JSON has no NaN or infinity)"),
    (lambda: batch(data="rows"), PackageXTypeError,
     "data must be a list of rows (mappings), got str"),
    (lambda: batch(data={"a": 1}), PackageXTypeError,
     "data must be a list of rows (mappings), got dict"),
    (lambda: batch(data=5), PackageXTypeError, "data must be a list of rows (mappings), got int"),
    (lambda: batch(data=[]), PackageXValueError, "data must hold at least one row"),
    (lambda: batch(data=[{"a": 1}, 5]), PackageXTypeError,
     "data[1] must be a mapping (one row), got int"),
    (lambda: batch(data=None, file=5), PackageXTypeError, "file must be a path or bytes, got int"),
    (lambda: batch(data=None, url=5), PackageXTypeError, "url must be a string, got int"),
    (lambda: batch(data=None, url="https://[x"), PackageXValueError,
     "url must be an https:// URL of a public file, with a host"),
    (lambda: export(options=[1]), PackageXTypeError,
     "options must be a mapping (a dict), got list"),
    (lambda: export(options={"order_by": ""}), PackageXValueError,
     "options['order_by'] must name a field, such as 'created_at'"),
    (lambda: export(options={"created_at": "x"}), PackageXValueError,
     "options['created_at'] must be a date filter such as 'gte:2024-01-01': 'x' must start "
     "with one of equals, not_equals, gt, lt, gte, lte, bwi, bwe, in, not_in and a colon"),
    (lambda: export(options={"created_at": "bwe:2024-01-01"}), PackageXValueError,
     "options['created_at'] must be a date filter such as 'gte:2024-01-01': bwe takes exactly "
     "two dates (the earlier first), got 'bwe:2024-01-01'"),
    (lambda: export(csv_field_options=5), PackageXTypeError,
     "csv_field_options must be a mapping (a dict), got int"),
    (lambda: export(csv_field_options={"datetime_format": ""}), PackageXValueError,
     "csv_field_options['datetime_format'] must not be empty; leave it out instead"),
    (lambda: export(csv_field_options={"columns": ["id"]}), PackageXTypeError,
     "csv_field_options['columns'] must be a mapping (a dict), got list"),
    (lambda: export(csv_field_options={"columns": {"id": 1}}), PackageXValueError,
     "csv_field_options['columns'] must map at least one column name to True"),
    (lambda: export(csv_field_options={"columns": {"": True}}), PackageXValueError,
     "csv_field_options['columns'] has an empty column name"),
    (lambda: check_batch_download({}, "result_json"), PackageXValueError,
     "download='result_json' needs save_result=True: without it the batch keeps no result "
     "file (nothing was sent)"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("call", "error", "message"), CASES, ids=[str(i) for i in range(len(CASES))]
)
def test_each_argument_error_names_the_argument(
    call: Callable[[], object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as caught:
        call()
    text = str(caught.value)
    assert text == message or (message.endswith(" ") and text.startswith(message)), text


def test_a_file_that_cannot_be_read_names_the_error_when_there_is_no_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes(b"id\n1\n")

    def refuse(self: Path) -> bytes:
        raise OSError  # no strerror

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(PackageXValueError, match=re.escape(f"'{path}' cannot be read: OSError")):
        batch(data=None, file=path)


def test_the_body_keeps_each_value_under_its_documented_key() -> None:
    body = batch(duplicate_handling="use_first", save_upload=False, mode="sync")

    assert body["duplicate_handling"] == "use_first"
    assert body["save_upload"] is False
    assert body["mode"] == "sync"


def test_types_orjson_sends_are_not_mistaken_for_a_non_finite_number() -> None:
    when = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)

    body = batch(data=[{"at": when, "n": 1.5}], extra_body={"limit": 1})

    assert body["data"] == [{"at": when, "n": 1.5}]


def test_a_limit_of_one_is_allowed() -> None:
    assert export(options={"limit": 1})["options"] == {"limit": 1}


@pytest.mark.parametrize(
    ("file", "body"),
    [("result_json", {"save_result": True}), ("errors_csv", {"save_upload": False})],
    ids=["result_saved", "errors_need_nothing"],
)
def test_a_run_download_the_batch_will_have_passes(file: str, body: dict[str, Any]) -> None:
    check_batch_download(body, file)


def test_an_aware_datetime_is_written_in_utc_whatever_the_local_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not hasattr(time, "tzset"):
        pytest.skip("the local time zone cannot be changed here")
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        when = dt.datetime(2024, 1, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=2)))
        assert until(when) == "lte:2024-01-01T10:00:00Z"
        assert since(when) == "gte:2024-01-01T10:00:00Z"
    finally:
        monkeypatch.undo()
        time.tzset()
