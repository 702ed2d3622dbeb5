"""What operators expect: --fields, -v / -q, and empty results that say so."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest

from packagex_async.testing import FakePackageX

from .conftest import FakeThread, Result

Cli = Callable[..., Result]


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv"])
def test_fields_select_and_order_the_columns_in_every_format(cli: Cli, fmt: str) -> None:
    result = cli("batches", "list", "--limit", "3", "--fields", "status,id", "--format", fmt)

    assert result.code == 0, result.err
    if fmt == "table":
        header, *rows = result.out.splitlines()
        assert header.split() == ["status", "id"]
        assert len(rows) == 3
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(result.out)))
        assert rows[0] == ["status", "id"]
        assert len(rows) == 4
    else:
        records = json.loads(result.out) if fmt == "json" else [
            json.loads(line) for line in result.out.splitlines()
        ]  # fmt: skip
        assert [list(record) for record in records] == [["status", "id"]] * 3


def test_fields_work_for_one_object_too(cli: Cli, served: FakeThread) -> None:
    batch = served.call(lambda: served.fake.add_batch(status="completed"))

    result = cli("batches", "get", str(batch["id"]), "--fields", "id,status", "--format", "json")

    assert json.loads(result.out) == {"id": batch["id"], "status": "completed"}


def test_an_unknown_field_names_the_valid_ones(cli: Cli, fake: FakePackageX) -> None:
    result = cli("exports", "list", "--fields", "id,stauts")

    assert result.code == 2
    assert "--fields: exports have no field 'stauts' (did you mean 'status'?)" in result.err
    assert "fields: id, organization_id, name" in result.err
    assert fake.requests == []


def test_an_empty_search_says_nothing_matches(cli: Cli) -> None:
    result = cli("exports", "list", "--search", "no export has this name")

    assert result.code == 0
    assert result.out.splitlines()[0].split()[0] == "id"  # the header, for scripts
    assert result.err == "packagex: no exports match\n"


def test_a_page_past_the_end_names_the_last_page(cli: Cli) -> None:
    result = cli("batches", "list", "--page", "99", "--limit", "25")

    assert result.code == 0
    assert result.err == "packagex: page 99 is past the last page (3)\n"  # 60 batches


def test_quiet_prints_only_data(cli: Cli) -> None:
    result = cli("exports", "list", "--search", "nothing like this", "-q")

    assert result.err == ""


def test_concurrency_without_all_is_a_usage_error(cli: Cli, fake: FakePackageX) -> None:
    result = cli("batches", "list", "--concurrency", "4")

    assert result.code == 2
    assert "--concurrency needs --all" in result.err
    assert fake.requests == []


def test_verbose_prints_each_request_line_redacted(cli: Cli, fake: FakePackageX) -> None:
    once = cli("batches", "list", "--limit", "2", "-v")
    quiet = cli("batches", "list", "--limit", "2")

    lines = [line for line in once.err.splitlines() if line.startswith("packagex: GET ")]
    assert lines == [next(line for line in lines if "/v1/batches?" in line and "-> 200 in" in line)]
    assert "(attempt 1 of 3)" in lines[0]
    assert fake.api_key not in once.err
    assert "GET" not in quiet.err


def test_very_verbose_adds_the_retries(cli: Cli, served: FakeThread) -> None:
    served.call(lambda: served.fake.faults.script("list_batches", ["503:0"]))

    result = cli("batches", "list", "--limit", "2", "-vv")

    assert result.code == 0
    assert "retry 1 of 2" in result.err
    assert sum("-> 503 in" in line or "-> 200 in" in line for line in result.err.splitlines()) == 2
