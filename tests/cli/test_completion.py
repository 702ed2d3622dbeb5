"""Tab completion: commands, options and option values complete from the parser."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys

import pytest

pytest.importorskip("argcomplete")


def complete(line: str) -> list[str]:
    """What the shell gets for ``line`` with the cursor at its end (argcomplete's protocol:
    the answer goes to file descriptor 8, sent to stdout here)."""
    env = {
        **os.environ,
        "_ARGCOMPLETE": "1",
        "_ARGCOMPLETE_IFS": "\n",
        "COMP_LINE": line,
        "COMP_POINT": str(len(line)),
    }
    code = "import sys; from packagex_async._cli import main; sys.exit(main())"
    command = f"{shlex.quote(sys.executable)} -c {shlex.quote(code)} 8>&1 9>/dev/null"
    done = subprocess.run(
        ["bash", "-c", command], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    return [word.strip() for word in done.stdout.split("\n") if word.strip()]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("packagex ba", ["batches"]),
        ("packagex batches li", ["list"]),
        ("packagex batches list --sta", ["--status"]),
        ("packagex exports list --statuses ", ["queued", "processing", "completed"]),
        ("packagex exports list --resource fu", ["fulfillment"]),
        ("packagex batches download b1 result", ["result_json"]),
        ("packagex completion ", ["bash", "zsh", "fish"]),
        ("packagex imports create contact --no-sa", ["--no-save-upload"]),
        ("packagex batches create contact --save", ["--save-upload", "--save-result"]),
    ],
)
def test_tab_completes(line: str, expected: list[str]) -> None:
    offered = complete(line)

    assert set(expected) <= set(offered), offered


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_a_script_for_each_shell(shell: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "packagex_async", "completion", shell],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )

    assert "packagex" in done.stdout
    assert "_ARGCOMPLETE" in done.stdout
