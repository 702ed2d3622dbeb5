"""The presentation pieces on their own: records, writers, names; and ``demo``."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone

import pytest

from packagex_async import Batch, BatchPhase, BatchStatus
from packagex_async._cli import main
from packagex_async._cli._jobs import default_download_name
from packagex_async._cli._kinds import kind_named
from packagex_async._cli._records import to_record
from packagex_async._cli._writers import open_list, write_object

BATCHES, EXPORTS = kind_named("batches"), kind_named("exports")
RECORDS = [{"id": "a", "n": 1, "tags": ["x"]}, {"id": "b", "n": None, "tags": []}]


def test_records_use_attribute_names_iso_utc_and_enum_values() -> None:
    paris = timezone(timedelta(hours=2))
    batch = Batch(
        id="batch_1",
        status=BatchStatus.COMPLETED,
        mode="turbo",  # a value the SDK does not know yet stays a string
        created_at=datetime(2024, 5, 1, 12, 0, tzinfo=paris),
        phases=[BatchPhase(name="validate", mode="sync", total=3)],
        result_json_url="https://files.example/r.json",
    )

    record = to_record(batch)

    assert record["status"] == "completed"
    assert type(record["status"]) is str
    assert record["mode"] == "turbo"
    assert record["created_at"] == "2024-05-01T10:00:00Z"
    assert record["phases"][0]["name"] == "validate"
    assert record["result_json_url"] == "https://files.example/r.json"
    json.dumps(record)  # plain JSON values only


@pytest.mark.parametrize("chunks", [[RECORDS], [RECORDS[:1], RECORDS[1:]], [[], RECORDS, []]])
def test_streamed_json_equals_json_dumps(chunks: list[list[dict[str, object]]]) -> None:
    out = io.StringIO()
    writer = open_list("json", out, columns=(), fields=())
    for chunk in chunks:
        writer.write(chunk)
    writer.close()

    assert out.getvalue() == json.dumps(RECORDS, indent=2) + "\n"


def test_an_empty_json_listing_is_an_empty_array() -> None:
    out = io.StringIO()
    writer = open_list("json", out, columns=(), fields=())
    writer.close()

    assert json.loads(out.getvalue()) == []


def test_table_aligns_shortens_and_marks_missing_values() -> None:
    out = io.StringIO()
    writer = open_list("table", out, columns=("id", "n"), fields=())
    writer.write([{"id": "x" * 50, "n": None}, {"id": "short", "n": 7}])
    writer.close()

    header, first, second = out.getvalue().splitlines()
    assert first == "x" * 37 + "...  -"
    assert second == "short" + " " * 35 + "  7"
    assert header.index("n") == first.index("-")


def test_csv_cells_hold_nested_values_as_json() -> None:
    out = io.StringIO()
    writer = open_list("csv", out, columns=(), fields=("id", "n", "tags"))
    writer.write(RECORDS)

    assert out.getvalue() == 'id,n,tags\na,1,"[""x""]"\nb,,[]\n'


def test_object_table_lists_nested_items_one_per_line() -> None:
    out = io.StringIO()
    record = {"id": "b1", "phases": [{"name": "v", "total": 3}, {"name": "w", "total": 0}]}

    write_object("table", out, record, fields=())

    assert out.getvalue() == "id      b1\nphases  name=v, total=3\n        name=w, total=0\n"


@pytest.mark.parametrize(
    ("file", "name"),
    [
        ("result_json", "id1.result.json"),
        ("upload_csv", "id1.upload.csv"),
        ("errors_json", "id1.errors.json"),
        ("csv", "id1.csv"),
        ("json", "id1.json"),
        ("csv_error", "id1.error.csv"),
        ("csv_sanitized", "id1.sanitized.csv"),
    ],
)
def test_default_download_names(file: str, name: str) -> None:
    kind = BATCHES if file in BATCHES.files else EXPORTS
    assert default_download_name("id1", kind.spec.file(file)) == name


def test_default_download_name_stays_in_the_directory() -> None:
    assert default_download_name("../../etc/passwd", EXPORTS.spec.file("csv")) == (
        "______etc_passwd.csv"
    )


def test_file_names_come_from_the_sdk() -> None:
    assert BATCHES.includes == BATCHES.files
    assert BATCHES.files == (
        "upload_csv",
        "upload_json",
        "errors_csv",
        "errors_json",
        "result_json",
    )
    assert EXPORTS.includes == ("json", "csv")
    assert EXPORTS.files == ("json", "csv", "csv_error", "csv_sanitized")


def test_demo_still_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0

    assert "All batches: 60 in 3 pages of up to 25" in capsys.readouterr().out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0

    assert capsys.readouterr().out.startswith("packagex ")
