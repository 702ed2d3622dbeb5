"""Help, completion and ``config show`` never load aiohttp or the client.

They are what a person waits for at every keystroke (each TAB runs the whole
program), so they import only the parser, the specs and the config reader; the HTTP
stack loads when a command talks to the API. ``-X importtime`` lists every module
a process imports, on stderr, however the process ends (argcomplete leaves through
``os._exit``).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("aiohttp", "packagex_async._client", "packagex_async._http._pipeline")

_MAIN = "import sys; from packagex_async._cli import main; sys.exit(main())"


def imported(args: list[str], extra_env: dict[str, str] | None = None) -> set[str]:
    """The modules a ``packagex ARGS`` process imports."""
    env = {**os.environ, "PX_API_KEY": "pxk_light", **(extra_env or {})}
    command = " ".join(
        [shlex.quote(sys.executable), "-X", "importtime", "-c", shlex.quote(_MAIN)]
        + [shlex.quote(arg) for arg in args]
    )
    done = subprocess.run(
        ["bash", "-c", command + " 8>/dev/null 9>/dev/null"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
    assert lines, done.stderr
    return {line.rsplit("|", 1)[-1].strip() for line in lines}


def assert_light(modules: set[str]) -> None:
    loaded = sorted(name for name in HEAVY if name in modules)
    assert not loaded, f"loaded {loaded}"
    assert "packagex_async._cli._parser" in modules  # the program did run


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["batches", "--help"],
        ["exports", "list", "--help"],
        ["batches", "create", "--help"],
        ["imports", "create", "--help"],
        ["completion", "bash"],
        ["config", "show"],
    ],
)
def test_help_completion_scripts_and_config_show_load_no_http_stack(
    args: list[str], tmp_path: Path
) -> None:
    assert_light(imported(args, {"HOME": str(tmp_path)}))


def test_a_tab_loads_no_http_stack() -> None:
    pytest.importorskip("argcomplete")
    line = "packagex exports list --resource fu"
    tab = {
        "_ARGCOMPLETE": "1",
        "_ARGCOMPLETE_IFS": "\n",
        "COMP_LINE": line,
        "COMP_POINT": str(len(line)),
    }
    assert_light(imported([], tab))


def test_a_command_that_talks_to_the_api_does_load_it() -> None:
    """The check above can fail: a command that sends a request imports the stack."""
    modules = imported(["batches", "get", "batch_1", "--base-url", "http://127.0.0.1:9"])
    assert "aiohttp" in modules
