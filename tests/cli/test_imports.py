"""``packagex imports ...``: the commands a resource gets from the registry, end to end."""

from __future__ import annotations

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
    server = FakeThread(seeded={"imports": 12}, seed=2, step_seconds=0.05)
    yield server
    server.close()


def test_list_shows_the_import_columns_ten_to_a_page(cli: Cli, fake: FakePackageX) -> None:
    result = cli("imports", "list")

    assert result.code == 0, result.err
    header, *lines = result.out.splitlines()
    assert header.split() == ["id", "name", "status", "resource", "action", "created_at"]
    assert len(lines) == 10
    second = cli("imports", "list", "--page", "2", "--format", "jsonl")
    assert len(second.out.splitlines()) == 2


def test_create_from_a_file_wait_and_download_the_errors(
    cli: Cli, fake: FakePackageX, tmp_path: Path
) -> None:
    source = tmp_path / "contacts.csv"
    source.write_text("name,email\nAda,ada@example.com\n,nobody@example.com\n")

    created = cli(
        "imports", "create", "contact", "--action", "merge", "--file", str(source),
        "--location-id", "loc_1", "--wait", "--format", "json", *FAST,
    )  # fmt: skip

    assert created.code == 0, created.err
    job = json.loads(created.out)
    assert job["status"] == "completed"
    assert job["location_id"] == "loc_1"
    (post,) = [r for r in fake.requests if r.route == "create_import"]
    assert post.json is not None
    assert post.json["data"].startswith("data:text/csv;base64,")
    saved = cli("imports", "download", job["id"], "errors_csv", "-o", str(tmp_path) + "/")
    assert saved.code == 0, saved.err
    assert (tmp_path / f"{job['id']}.errors.csv").read_text().startswith("row,")


@pytest.mark.parametrize(
    ("switch", "sent", "kept"),
    [((), None, True), (("--save-upload",), True, True), (("--no-save-upload",), False, False)],
)
def test_save_upload_is_sent_only_when_given_and_no_save_upload_keeps_no_file(
    cli: Cli,
    fake: FakePackageX,
    tmp_path: Path,
    switch: tuple[str, ...],
    sent: bool | None,
    kept: bool,
) -> None:
    rows = tmp_path / "rows.json"
    rows.write_text('[{"name": "Ada"}, {"name": "Grace"}]')

    created = cli(
        "imports", "create", "contact", "--action", "merge", "--data", str(rows), *switch,
        "--wait", "--format", "json", *FAST,
    )  # fmt: skip

    assert created.code == 0, created.err
    (post,) = [r for r in fake.requests if r.route == "create_import"]
    assert post.json is not None
    assert post.json.get("save_upload", "absent") == ("absent" if sent is None else sent)
    assert json.loads(created.out)["has_upload_file"] is kept


def test_an_async_import_needs_no_source(cli: Cli, fake: FakePackageX) -> None:
    result = cli("imports", "create", "group", "--action", "merge", "--upload-mode", "async")

    assert result.code == 0, result.err
    assert fake.created("imports")[0]["status"] == "requested"


def test_a_bad_value_is_a_usage_error_naming_the_allowed_ones(cli: Cli, tmp_path: Path) -> None:
    rows = tmp_path / "rows.json"
    rows.write_text('[{"name": "Ada"}]')

    result = cli("imports", "create", "tracker", "--action", "merge", "--data", str(rows))

    assert result.code == 2
    assert "resource must be one of 'contact', 'group'" in result.err


def test_get_wait_and_streaming_a_file_to_stdout(cli: Cli, fake: FakePackageX) -> None:
    moving = fake.add("imports", status="queued", final_status="failed", step_seconds=0.05)
    done = next(i for i in fake.items("imports") if i["has_upload_file"])

    shown = cli("imports", "get", done["id"], "--include", "upload_csv", "--format", "json")
    waited = cli("imports", "wait", moving["id"], *FAST)
    streamed = cli("imports", "download", done["id"], "upload_json", "-o", "-")

    assert shown.code == 0, shown.err
    assert json.loads(shown.out)["upload_csv_url"].startswith(fake.storage_url)
    assert waited.code == 6  # ended failed
    assert streamed.code == 0, streamed.err
    assert isinstance(json.loads(streamed.out), list)
