"""Progress bars and notes go to stderr only when it is a terminal, and only with tqdm."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from packagex_async.testing import FakePackageX

from .conftest import FakeThread, Result

Cli = Callable[..., Result]


def test_no_bar_when_stderr_is_not_a_terminal(cli: Cli, served: FakeThread, tmp_path: Path) -> None:
    batch = served.call(lambda: served.fake.add_batch(status="completed", rows=30))

    listing = cli("batches", "list", "--all", "--format", "jsonl", "--limit", "10")
    download = cli("batches", "download", batch["id"], "result_json", "-o", str(tmp_path / "r"))

    assert listing.code == download.code == 0
    assert listing.err == download.err == ""


def test_listing_bar_counts_to_total_count(cli: Cli) -> None:
    result = cli("batches", "list", "--all", "--format", "jsonl", "--limit", "10", tty=True)

    assert result.code == 0
    assert len(result.out.splitlines()) == 60  # the bar never reaches stdout
    assert "/60" in result.err
    assert "batches" in result.err


def test_download_bar_uses_content_length(cli: Cli, served: FakeThread, tmp_path: Path) -> None:
    batch = served.call(lambda: served.fake.add_batch(status="completed", rows=30))

    result = cli(
        "batches", "download", batch["id"], "result_json", "-o", str(tmp_path / "r.json"), tty=True
    )

    assert result.code == 0
    assert "r.json" in result.err
    assert "B/s" in result.err


def test_without_tqdm_there_is_no_bar_and_nothing_breaks(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm now raises ImportError

    result = cli("batches", "list", "--all", "--format", "jsonl", "--limit", "10", tty=True)

    assert result.code == 0
    assert len(result.out.splitlines()) == 60
    assert result.err == ""


def test_one_page_table_says_how_to_get_more_on_a_terminal(cli: Cli) -> None:
    result = cli("batches", "list", tty=True)

    assert result.code == 0
    assert result.err == "page 1 of 3 (60 batches); --page 2 for the next, --all for every page\n"


def test_wait_notes_each_status_on_a_terminal(
    cli: Cli, served: FakeThread, fake: FakePackageX
) -> None:
    batch = served.call(
        lambda: served.fake.add_batch(status="queued", final_status="completed", step_seconds=0.05)
    )

    result = cli(
        "batches", "wait", batch["id"], "--poll-interval", "0.02", "--format", "jsonl", tty=True
    )

    assert result.code == 0
    notes = result.err.splitlines()
    assert notes[0] == f"batch {batch['id']}: queued"
    assert notes[-1] == f"batch {batch['id']}: completed"
    assert len(notes) == len(set(notes))  # one line per change, not per poll
