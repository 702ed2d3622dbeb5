"""Exit codes, one-line errors and where the API key may come from."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from packagex_async._cli import main
from packagex_async.testing import FakePackageX

from .conftest import FakeThread, Result

Cli = Callable[..., Result]


def _one_error_line(result: Result) -> str:
    assert result.err.startswith("packagex: error: ")
    assert result.err.count("\n") == 1
    assert "Traceback" not in result.err
    return result.err


def test_not_found_exits_4(cli: Cli) -> None:
    result = cli("exports", "get", "exp_missing")

    assert result.code == 4
    assert "HTTP 404" in _one_error_line(result)
    assert result.out == ""


def test_a_rejected_key_exits_3_without_showing_it(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PX_API_KEY", "px_wrong_key_42")

    result = cli("batches", "list")

    assert result.code == 3
    assert "HTTP 401" in _one_error_line(result)
    assert "PX_API_KEY" in result.err
    assert "px_wrong_key_42" not in result.err


def test_no_key_exits_3(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PX_API_KEY")

    result = cli("batches", "list")

    assert result.code == 3
    assert "no API key" in _one_error_line(result)


def test_key_file_is_read_and_stripped(
    cli: Cli, fake: FakePackageX, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PX_API_KEY", "px_wrong_key_42")
    key_file = tmp_path / "key"
    key_file.write_text(fake.api_key + "\n")

    result = cli("batches", "list", "--api-key-file", str(key_file), "--format", "jsonl")

    assert result.code == 0
    assert result.err == ""
    assert fake.requests[0].headers["PX-API-KEY"] == fake.api_key


def test_key_file_from_stdin(cli: Cli, fake: FakePackageX, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PX_API_KEY")
    monkeypatch.setattr("sys.stdin", io.StringIO(fake.api_key))

    assert cli("exports", "list", "--api-key-file", "-").code == 0


@pytest.mark.parametrize("content", [None, "  \n"])
def test_missing_or_empty_key_file_exits_3(cli: Cli, tmp_path: Path, content: str | None) -> None:
    key_file = tmp_path / "key"
    if content is not None:
        key_file.write_text(content)

    result = cli("batches", "list", "--api-key-file", str(key_file))

    assert result.code == 3
    assert str(key_file) in _one_error_line(result)


def test_api_key_argument_works_but_warns(
    cli: Cli, fake: FakePackageX, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PX_API_KEY")

    result = cli("batches", "list", "--api-key", fake.api_key, "--format", "jsonl")

    assert result.code == 0
    assert "visible to other users in the process list" in result.err
    assert fake.api_key not in result.err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["batches", "list", "--status", "complete"],
            "argument --status: invalid choice: 'complete'",
        ),
        (["batches", "list", "--status", "complete"], "did you mean 'completed'?"),
        (["batches", "list", "--mode", "asynchronous"], "argument --mode: invalid choice"),
        (["exports", "list", "--order-by", "count"], "argument --order-by: invalid choice"),
        (["exports", "list", "--statuses", "done"], "argument --statuses: invalid choice: 'done'"),
        (["batches", "list", "--page", "0"], "argument --page: must be a whole number >= 1"),
        (
            ["batches", "wait", "batch_1", "--timeout", "0"],
            "argument --timeout: must be a number of seconds > 0",
        ),
        (
            ["batches", "list", "--request-timeout", "0"],
            "argument --request-timeout: must be a number of seconds > 0",
        ),
        (["batches", "get", " "], "argument ID: must be a batch or export id"),
    ],
)
def test_bad_values_are_usage_errors_before_any_request(
    cli: Cli, fake: FakePackageX, argv: list[str], message: str
) -> None:
    result = cli(*argv)

    assert result.code == 2
    assert message in _one_error_line(result)
    assert fake.requests == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the following arguments are required: COMMAND"),
        (["batches"], "the following arguments are required: ACTION"),
        (["batches", "list", "--page", "x"], "argument --page: must be a whole number >= 1"),
        (["files", "list"], "invalid choice: 'files'"),
        (["exports", "get"], "the following arguments are required: ID"),
        (["batchs", "list"], "invalid choice: 'batchs' (choose from"),
        (["batches", "lsit"], "did you mean 'list'?"),
        (["batches", "list", "--staus", "failed"], "did you mean '--status'?"),
        (["exports", "list", "--format", "jsno"], "did you mean 'json'?"),
    ],
)
def test_argparse_usage_errors_are_one_line_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert err.startswith("packagex")
    assert message in err
    assert err.rstrip().endswith("--help)")


def test_plain_http_to_a_remote_host_is_refused(cli: Cli) -> None:
    result = cli("batches", "list", "--base-url", "http://api.example.com", base_url=False)

    assert result.code == 2
    assert "http://" in _one_error_line(result)


def test_api_timeout_exits_5(cli: Cli, served: FakeThread) -> None:
    served.call(lambda: served.fake.faults.script("retrieve_batch", ["stall"] * 3))

    result = cli("batches", "get", "batch_1", "--request-timeout", "0.1")

    assert result.code == 5
    assert "timeout" in _one_error_line(result)


def test_server_errors_exit_1_and_name_the_page_to_resume_from(
    cli: Cli, served: FakeThread
) -> None:
    served.call(lambda: served.fake.faults.script("list_batches", ["500"] * 3, page=2))

    result = cli("batches", "list", "--all", "--format", "jsonl")

    assert result.code == 1
    assert "HTTP 500" in _one_error_line(result)
    assert "resume with --page 2" in result.err
    assert len([json.loads(line) for line in result.out.splitlines()]) == 25


def test_help_documents_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0

    out = capsys.readouterr().out
    for line in ("2    usage", "3    authentication", "4    not found", "5    timeout", "130"):
        assert line in out


def test_a_closed_pipe_ends_quietly(monkeypatch: pytest.MonkeyPatch, cli: Cli) -> None:
    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr("sys.stdout", ClosedPipe())

    result = cli("batches", "list", "--all", "--format", "jsonl")

    assert result.code == 141
    assert result.err == ""
