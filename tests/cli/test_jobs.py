"""``get``, ``wait`` and ``download`` for batches and exports."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from packagex_async._cli._jobs import human_size
from packagex_async.testing import FakePackageX

from .conftest import FakeThread, Result

Cli = Callable[..., Result]


def _completed_batch(served: FakeThread, **options: object) -> str:
    batch = served.call(
        lambda: served.fake.add_batch(status="completed", rows=30, errors=3, **options)
    )
    return str(batch["id"])


def test_get_shows_one_batch_as_a_field_table(cli: Cli, served: FakeThread) -> None:
    batch_id = _completed_batch(served)

    result = cli("batches", "get", batch_id)

    assert result.code == 0
    fields = dict(line.split(None, 1) for line in result.out.splitlines() if " " in line.strip())
    assert fields["id"].strip() == batch_id
    assert fields["status"].strip() == "completed"
    assert fields["result_json_url"].strip() == "-"
    assert "phases" in fields


def test_get_include_asks_for_file_urls(cli: Cli, served: FakeThread, fake: FakePackageX) -> None:
    batch_id = _completed_batch(served)

    result = cli(
        "batches", "get", batch_id, "--include", "result_json,errors_csv", "--format", "json"
    )

    batch = json.loads(result.out)
    assert batch["result_json_url"].startswith(fake.storage_url)
    assert batch["errors_csv_url"].startswith(fake.storage_url)
    assert batch["upload_csv_url"] is None
    assert fake.requests[-1].query == {"include_result_json": "true", "include_errors_csv": "true"}


def test_get_export_include_csv_and_json(cli: Cli, fake: FakePackageX) -> None:
    export = next(e for e in fake.exports if e["status"] == "completed")

    result = cli(
        "exports", "get", export["id"], "--include", "csv", "--include", "json", "--format", "jsonl"
    )

    found = json.loads(result.out)
    assert found["csv_url"]
    assert found["json_url"]
    assert result.out.count("\n") == 1


def test_get_as_csv_is_one_row(cli: Cli, fake: FakePackageX) -> None:
    result = cli("exports", "get", fake.exports[0]["id"], "--format", "csv")

    header, row = result.out.splitlines()
    assert header.startswith("id,organization_id,name,")
    assert row.startswith(fake.exports[0]["id"] + ",")


def test_unknown_include_is_a_usage_error_naming_the_allowed_files(
    cli: Cli, fake: FakePackageX
) -> None:
    result = cli("batches", "get", "batch_1", "--include", "result_json,results")

    assert result.code == 2
    assert "unknown file 'results'" in result.err
    assert "upload_csv, upload_json, errors_csv, errors_json, result_json" in result.err
    assert fake.requests == []


def test_wait_returns_the_finished_job(cli: Cli, served: FakeThread) -> None:
    batch = served.call(
        lambda: served.fake.add_batch(status="queued", final_status="completed", step_seconds=0.05)
    )

    result = cli("batches", "wait", batch["id"], "--poll-interval", "0.05", "--format", "json")

    assert result.code == 0
    assert json.loads(result.out)["status"] == "completed"
    assert result.err == ""


def test_wait_exits_6_when_the_job_did_not_complete(cli: Cli, served: FakeThread) -> None:
    export = served.call(
        lambda: served.fake.add_export(status="queued", final_status="failed", step_seconds=0.05)
    )

    result = cli("exports", "wait", export["id"], "--poll-interval", "0.05", "--format", "jsonl")

    assert result.code == 6
    assert json.loads(result.out)["status"] == "failed"


def test_wait_timeout_exits_5(cli: Cli, served: FakeThread) -> None:
    batch = served.call(
        lambda: served.fake.add_batch(status="queued", final_status="completed", step_seconds=60)
    )

    result = cli("batches", "wait", batch["id"], "--timeout", "0.2", "--poll-interval", "0.05")

    assert result.code == 5
    assert result.out == ""
    assert result.err.startswith(
        f"packagex: error: {batch['id']} is still queued after --timeout 0.2s; "
        f"to keep waiting: packagex batches wait {batch['id']} --timeout SECONDS"
    )
    assert result.err.count("\n") == 1


def test_download_to_the_default_name(
    cli: Cli, served: FakeThread, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    batch_id = _completed_batch(served)

    result = cli("batches", "download", batch_id, "result_json")

    assert result.code == 0
    saved = tmp_path / f"{batch_id}.result.json"
    assert len(json.loads(saved.read_bytes())) == 27
    assert result.out.splitlines() == [
        f"path  {saved.name}",
        f"size  {human_size(saved.stat().st_size)}",  # people read sizes; JSON keeps bytes
    ]
    assert result.err == ""


def test_download_to_a_path_or_a_directory(cli: Cli, served: FakeThread, tmp_path: Path) -> None:
    batch_id = _completed_batch(served)

    to_file = cli(
        "batches",
        "download",
        batch_id,
        "errors_csv",
        "-o",
        str(tmp_path / "e.csv"),
        "--format",
        "json",
    )
    to_dir = cli(
        "batches", "download", batch_id, "upload_csv", "--output", str(tmp_path), "--format", "json"
    )

    assert json.loads(to_file.out) == {
        "path": str(tmp_path / "e.csv"),
        "size": (tmp_path / "e.csv").stat().st_size,
    }
    assert (tmp_path / "e.csv").read_text().count("\n") == 4  # header and 3 rejected rows
    assert json.loads(to_dir.out)["path"] == str(tmp_path / f"{batch_id}.upload.csv")


def test_download_into_a_directory_that_does_not_exist_yet(
    cli: Cli, served: FakeThread, tmp_path: Path
) -> None:
    batch_id = _completed_batch(served)

    result = cli("batches", "download", batch_id, "errors_csv", "-o", f"{tmp_path}/new/")

    assert result.code == 0
    assert (tmp_path / "new" / f"{batch_id}.errors.csv").is_file()


def test_download_an_export_file(cli: Cli, fake: FakePackageX, tmp_path: Path) -> None:
    export = next(e for e in fake.exports if e["status"] == "completed")

    result = cli(
        "exports", "download", export["id"], "csv_error", "-o", str(tmp_path), "--format", "csv"
    )

    assert result.code == 0
    assert result.out.splitlines()[0] == "path,size"
    assert (tmp_path / f"{export['id']}.error.csv").exists()


def test_download_of_a_missing_file_exits_4(cli: Cli, served: FakeThread, tmp_path: Path) -> None:
    batch_id = _completed_batch(served, save_result=False)

    result = cli("batches", "download", batch_id, "result_json", "-o", str(tmp_path / "r.json"))

    assert result.code == 4
    assert "save_result=true" in result.err
    assert list(tmp_path.iterdir()) == []


def test_download_rejects_an_unknown_file(cli: Cli) -> None:
    result = cli("exports", "download", "exp_1", "xlsx")

    assert result.code == 2
    assert "invalid choice: 'xlsx'" in result.err


def test_human_sizes() -> None:
    assert [human_size(n) for n in (0, 1023, 1024, 1536, 5 * 1024**2, 3 * 1024**3)] == [
        "0 B",
        "1023 B",
        "1.0 KiB",
        "1.5 KiB",
        "5.0 MiB",
        "3.0 GiB",
    ]


def test_download_refuses_to_replace_a_file_unless_forced(
    cli: Cli, served: FakeThread, tmp_path: Path
) -> None:
    batch_id = _completed_batch(served, save_result=True)
    target = tmp_path / "r.json"
    target.write_text("keep me")

    refused = cli("batches", "download", batch_id, "result_json", "-o", str(target))
    assert refused.code == 2
    assert f"{target} exists; pass --force to replace it" in refused.err
    assert target.read_text() == "keep me"

    forced = cli("batches", "download", batch_id, "result_json", "-o", str(target), "--force")
    assert forced.code == 0
    assert json.loads(target.read_text())


def test_download_into_a_missing_directory_is_a_clear_error(
    cli: Cli, served: FakeThread, tmp_path: Path, fake: FakePackageX
) -> None:
    batch_id = _completed_batch(served, save_result=True)
    wanted = tmp_path / "no" / "such" / "r.json"

    result = cli("batches", "download", batch_id, "result_json", "-o", str(wanted))

    assert result.code == 2
    assert f"the directory {wanted.parent} does not exist" in result.err
    assert ".part" not in result.err


def test_download_to_stdout_streams_the_bytes(cli: Cli, served: FakeThread) -> None:
    batch_id = _completed_batch(served, save_result=True)
    saved = cli("batches", "download", batch_id, "result_json", "-o", "-")

    assert saved.code == 0
    assert len(json.loads(saved.out)) == 27


def test_get_include_says_why_a_url_is_missing(cli: Cli, served: FakeThread) -> None:
    batch = served.call(lambda: served.fake.add_batch(status="completed", save_result=False))

    result = cli("batches", "get", str(batch["id"]), "--include", "result_json")

    assert result.code == 0
    assert (
        "packagex: result_json_url: none (result files exist only for batches created "
        "with save_result=true, once finished)"
    ) in result.err
