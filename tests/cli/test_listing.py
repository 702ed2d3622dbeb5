"""``batches list`` / ``exports list``: every format, one page or all, filters."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

from packagex_async import Batch
from packagex_async.testing import FakePackageX

from .conftest import Result

Cli = Callable[..., Result]


def _jsonl(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


def test_table_is_the_default_and_shows_the_first_page(cli: Cli, fake: FakePackageX) -> None:
    result = cli("batches", "list")

    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].split() == ["id", "status", "resource", "mode", "via", "created_at"]
    assert len(lines) == 1 + 25
    assert lines[1].split()[0] == fake.batches[0]["id"]
    column = lines[0].index("created_at")
    assert all(line[column - 2 : column] == "  " and line[column] != " " for line in lines)
    assert result.err == ""  # no page hint, no bar: stderr is not a terminal


def test_json_is_one_array_of_full_objects(cli: Cli, fake: FakePackageX) -> None:
    result = cli("batches", "list", "--format", "json", "--limit", "7")

    items = json.loads(result.out)
    assert [item["id"] for item in items] == [b["id"] for b in fake.batches[:7]]
    assert set(items[0]) == {field.name for field in Batch.__attrs_attrs__}
    assert "result_json_url" in items[0]
    assert items[0]["created_at"].endswith("Z")
    assert isinstance(items[0]["phases"], list)


def test_jsonl_all_streams_every_page(cli: Cli, fake: FakePackageX) -> None:
    result = cli("batches", "list", "--all", "--format", "jsonl", "--limit", "10")

    assert result.code == 0
    assert [item["id"] for item in _jsonl(result.out)] == [b["id"] for b in fake.batches]
    assert len(fake.requests) == 6


def test_all_with_concurrency_gives_the_same_items(cli: Cli) -> None:
    one = cli("batches", "list", "--all", "--format", "jsonl", "--limit", "7")
    many = cli(
        "batches", "list", "--all", "--format", "jsonl", "--limit", "7", "--concurrency", "4"
    )

    assert many.code == one.code == 0
    assert many.out == one.out
    assert len(_jsonl(many.out)) == 60


def test_csv_has_a_header_of_every_field(cli: Cli, fake: FakePackageX) -> None:
    result = cli("exports", "list", "--format", "csv", "--all")

    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert len(rows) == 30
    assert rows[0]["id"] == fake.exports[0]["id"]
    assert rows[0]["json_url"] == ""
    assert rows[0]["count_total"] == str(fake.exports[0]["count_total"])


def test_json_all_is_still_one_valid_array(cli: Cli) -> None:
    result = cli("exports", "list", "--all", "--format", "json", "--limit", "4")

    assert len(json.loads(result.out)) == 30


def test_page_and_limit_pick_one_page(cli: Cli, fake: FakePackageX) -> None:
    result = cli("batches", "list", "--page", "3", "--format", "jsonl")

    assert [item["id"] for item in _jsonl(result.out)] == [b["id"] for b in fake.batches[50:]]


def test_all_starts_at_page(cli: Cli) -> None:
    result = cli("batches", "list", "--all", "--page", "2", "--format", "jsonl", "--limit", "20")

    assert len(_jsonl(result.out)) == 40


def test_batch_filters_reach_the_api(cli: Cli, fake: FakePackageX) -> None:
    result = cli(
        "batches", "list", "--all", "--format", "jsonl", "--status", "completed", "--via", "file"
    )

    items = _jsonl(result.out)
    expected = [b["id"] for b in fake.batches if b["status"] == "completed" and b["via"] == "file"]
    assert [item["id"] for item in items] == expected
    assert fake.requests[0].query["status"] == "completed"


def test_export_ordering_statuses_and_search(cli: Cli, fake: FakePackageX) -> None:
    result = cli(
        "exports",
        "list",
        "--format",
        "jsonl",
        "--order-by",
        "count_total",
        "--direction",
        "desc",
        "--statuses",
        "completed,failed",
        "--resource",
        "shipment",
    )

    items = _jsonl(result.out)
    assert items
    assert all(item["status"] in ("completed", "failed") for item in items)
    assert all(item["resource"] == "shipment" for item in items)
    counts = [item["count_total"] for item in items]
    assert counts == sorted(counts, reverse=True)
    assert fake.requests[0].query["statuses"] == "completed,failed"


def test_export_search(cli: Cli, fake: FakePackageX) -> None:
    word = str(fake.exports[0]["name"]).split()[0]

    result = cli("exports", "list", "--all", "--format", "jsonl", "--search", word)

    assert result.code == 0
    assert all(word.lower() in str(item["name"]).lower() for item in _jsonl(result.out))


def test_export_table_columns(cli: Cli) -> None:
    result = cli("exports", "list")

    header = result.out.splitlines()[0].split()
    assert header == ["id", "name", "status", "resource", "count_total", "created_at"]
    assert len(result.out.splitlines()) == 11


def test_options_before_the_command_work_too(cli: Cli, fake: FakePackageX) -> None:
    result = cli("--format", "jsonl", "--base-url", fake.url, "batches", "list", base_url=False)

    assert len(_jsonl(result.out)) == 25


def test_an_empty_listing_prints_only_the_header(cli: Cli) -> None:
    result = cli("exports", "list", "--search", "no export is called this")

    assert result.code == 0
    assert result.out.splitlines() == ["id  name  status  resource  count_total  created_at"]
