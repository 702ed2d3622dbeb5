"""Every ``packagex`` command the README shows runs, against the fake, and succeeds.

The README's ids (``batch_123``, ``exp_7xKy...``) are replaced by a completed batch
and export of the fake; files it names (``contacts.json``, ``contacts.csv``) are made in a temporary
directory, which is also where the commands run.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import FakeThread

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_commands() -> list[str]:
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", README.read_text(), re.S):
        for line in block.replace("\\\n", " ").splitlines():
            command = line.split("  #")[0].strip()
            if command.startswith("packagex ") and command not in commands:
                commands.append(command)
    return commands


@pytest.fixture(scope="module")
def lively() -> Iterator[FakeThread]:
    """Created jobs move every 50 ms, so the README's --wait commands end quickly."""
    server = FakeThread(batches=8, exports=8, seed=5, step_seconds=0.05)
    yield server
    server.close()


@pytest.mark.parametrize("command", readme_commands())
def test_the_readme_command_runs(command: str, lively: FakeThread, tmp_path: Path) -> None:
    batch = lively.call(lambda: lively.fake.add_batch(status="completed", save_result=True))
    export = lively.call(lambda: lively.fake.add_export(status="completed", rows=5))
    (tmp_path / "contacts.json").write_text(json.dumps([{"name": "Ada"}, {"name": "Grace"}]))
    (tmp_path / "contacts.csv").write_text("name,email\nAda,ada@example.com\n")
    script = command.replace("batch_123", str(batch["id"]))
    script = script.replace("exp_7xKyu1HYgPnSAXZhtdxFxk", str(export["id"]))
    script = script.replace("packagex ", f"{sys.executable} -m packagex_async ")
    env = {
        **os.environ,
        "PX_API_KEY": lively.fake.api_key,
        "PX_BASE_URL": lively.fake.url,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }

    done = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )

    assert done.returncode == 0, (script, done.stderr)
    assert "Traceback" not in done.stderr
