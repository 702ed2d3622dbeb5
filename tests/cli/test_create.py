"""``exports create`` and ``batches create`` against the fake, end to end."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from packagex_async.testing import FakePackageX

from .conftest import FakeThread, Result

Cli = Callable[..., Result]
FAST = ("--poll-interval", "0.02")


@pytest.fixture
def served() -> Iterator[FakeThread]:
    """Jobs that move every 50 ms, so --wait is quick."""
    server = FakeThread(batches=3, exports=3, seed=5, step_seconds=0.05)
    yield server
    server.close()


def test_create_an_export_wait_and_download_it(
    cli: Cli, fake: FakePackageX, tmp_path: Path
) -> None:
    target = tmp_path / "shipments.csv"

    result = cli(
        "exports", "create", "shipment", "--since", "2024-01-01",
        "--columns", "id,tracking_number", "--limit", "all",
        "--wait", "--download", str(target), *FAST,
    )  # fmt: skip

    assert result.code == 0, result.err
    (created,) = fake.created_exports
    assert result.out.splitlines()[0] == created["id"]
    header, *rows = list(csv.reader(io.StringIO(target.read_text())))
    assert header == ["id", "tracking_number"]
    assert rows
    (post,) = [r for r in fake.requests if r.route == "create_export"]
    assert post.json == {
        "resource": "shipment",
        "options": {"created_at": "gte:2024-01-01", "limit": "all"},
        "csv_field_options": {"columns": {"id": True, "tracking_number": True}},
    }


def test_since_and_until_together_send_one_bwi_condition(cli: Cli, fake: FakePackageX) -> None:
    result = cli("exports", "create", "contact", "--since", "2024-01-01", "--until", "2024-01-31")

    assert result.code == 0, result.err
    (post,) = [r for r in fake.requests if r.route == "create_export"]
    assert post.json["options"] == {"created_at": "bwi:2024-01-01,2024-01-31"}
    assert fake.created_exports[0]["count_total"] > 0


def test_create_prints_the_object_with_format_json(cli: Cli, fake: FakePackageX) -> None:
    result = cli("exports", "create", "contact", "--option", "search=x", "--format", "json")

    assert result.code == 0, result.err
    shown = json.loads(result.out)
    assert shown["id"] == fake.created_exports[0]["id"]
    assert shown["status"] == "queued"


def test_create_a_batch_from_a_json_file(cli: Cli, fake: FakePackageX, tmp_path: Path) -> None:
    rows = tmp_path / "contacts.json"
    rows.write_text(json.dumps([{"name": "Ada"}, {"name": "Grace"}, {"name": "Edsger"}]))

    result = cli(
        "batches", "create", "contact", "--action", "merge", "--data", str(rows),
        "--save-result", "--wait", "--format", "json", *FAST,
    )  # fmt: skip

    assert result.code == 0, result.err
    final = json.loads(result.out)
    assert final["status"] == "completed"
    assert [phase["total"] for phase in final["phases"]] == [3, 3, 3]


def test_a_batch_flag_can_be_sent_false(cli: Cli, fake: FakePackageX, tmp_path: Path) -> None:
    rows = tmp_path / "contacts.json"
    rows.write_text(json.dumps([{"name": "Ada"}]))

    result = cli(
        "batches", "create", "contact", "--action", "merge", "--data", str(rows),
        "--no-save-upload", "--save-result",
    )  # fmt: skip

    assert result.code == 0, result.err
    (post,) = [r for r in fake.requests if r.route == "create_batch"]
    assert post.json is not None
    assert (post.json["save_upload"], post.json["save_result"]) == (False, True)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'[{"weight": NaN}]', "must be finite and fit in 64 bits: data[0]['weight'] is nan"),
        (b'[{"n": 123456789012345678901234567890}]', "data[0]['n'] is 1234567890"),
        (b"\xff\xfe[]", "cannot read it: 'utf-8' codec can't decode"),
    ],
)  # fmt: skip
def test_data_the_api_cannot_take_is_a_usage_error_before_any_post(
    cli: Cli, fake: FakePackageX, tmp_path: Path, content: bytes, message: str
) -> None:
    rows = tmp_path / "rows.json"
    rows.write_bytes(content)

    result = cli("batches", "create", "contact", "--action", "merge", "--data", str(rows))

    assert result.code == 2
    assert message in result.err
    assert not [r for r in fake.requests if r.route.startswith("create_")]


def test_an_export_is_not_created_when_its_download_would_replace_a_file(
    cli: Cli, fake: FakePackageX, tmp_path: Path
) -> None:
    target = tmp_path / "shipments.csv"
    target.write_text("mine")

    refused = cli("exports", "create", "shipment", "--wait", "--download", str(target))
    forced = cli(
        "exports", "create", "shipment", "--wait", "--download", str(target), "--force",
        "--poll-interval", "0.05",
    )  # fmt: skip

    assert refused.code == 2
    assert f"{target} exists; pass --force to replace it" in refused.err
    assert forced.code == 0, forced.err
    assert target.read_text().startswith("id,")
    assert len([r for r in fake.requests if r.route == "create_export"]) == 1


def test_an_option_of_another_command_is_not_suggested_as_itself(cli: Cli) -> None:
    result = cli("batches", "create", "contact", "--action", "merge", "--url", "https://x/a",
                 "--download", "x.json")  # fmt: skip

    assert result.code == 2
    assert "unrecognized arguments: --download" in result.err
    assert "did you mean '--download'" not in result.err


def test_a_batch_that_fails_exits_six(cli: Cli, tmp_path: Path) -> None:
    broken = tmp_path / "contacts.csv"
    broken.write_bytes(b"name\n\xff\xfe\n")

    result = cli(
        "batches", "create", "contact", "--action", "merge", "--file", str(broken),
        "--wait", *FAST,
    )  # fmt: skip

    assert result.code == 6


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["batches", "create", "tracker", "--action", "delete", "--url", "https://x/a.csv"],
         "action must be 'merge'"),
        (["exports", "create", "shipments"], "resource must be one of"),
        (["exports", "create", "shipment", "--limit", "ten"], "--limit takes a whole number"),
        (["exports", "create", "shipment", "--download", "x.csv"], "--download needs --wait"),
        (["exports", "create", "shipment", "--option", "novalue"], "KEY=VALUE"),
        (["exports", "create", "shipment", "--columns", ""], "has an empty column name"),
        (["exports", "create", "shipment", "--columns", "id,,status"], "an empty column name"),
        (["exports", "create", "shipment", "--timezone", ""], "'timezone'] must not be empty"),
        (["exports", "create", "shipment", "--option", "direction=up"],
         "options['direction'] must be one of 'asc', 'desc'"),
        (["exports", "create", "shipment", "--option", "created_at=gte:2024-99-01"],
         "is not an ISO 8601 date"),
        (["batches", "create", "contact", "--action", "merge", "--data", "missing.json"],
         "--data missing.json: cannot read it: No such file or directory"),
        (["batches", "create", "contact", "--action", "merge", "--url", "https://"],
         "with a host"),
        (["exports", "create", "shipment", "--since", "2024-02-01", "--until", "2024-01-01"],
         "--since 2024-02-01 is after --until 2024-01-01"),
        (["exports", "create", "shipment", "--wait", "--download", "-"],
         "--download - would mix the file into stdout"),
        (["exports", "create", "shipment", "--wait", "--download", "no/such/dir/x.csv"],
         "--download 'no/such/dir/x.csv': the directory 'no/such/dir' does not exist"),
    ],
)  # fmt: skip
def test_bad_create_arguments_are_usage_errors_before_any_post(
    cli: Cli, fake: FakePackageX, argv: list[str], message: str
) -> None:
    result = cli(*argv)

    assert result.code == 2
    assert message in result.err
    assert not [r for r in fake.requests if r.route.startswith("create_")]
