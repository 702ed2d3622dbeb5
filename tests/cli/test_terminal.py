"""The table in a real pseudo-terminal of 80 columns: it fits, and its columns line up."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios

import pytest

from packagex_async.testing import FakePackageX

COLUMNS = 80


def run_in_terminal(fake: FakePackageX, *argv: str) -> list[str]:
    """``python -m packagex_async ARGV`` with stdout on an 80-column pty; its lines."""
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, COLUMNS, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["PX_API_KEY"] = fake.api_key
    command = [sys.executable, "-m", "packagex_async", *argv, "--base-url", fake.url]
    with subprocess.Popen(command, stdout=child, stderr=subprocess.DEVNULL, env=env) as process:
        os.close(child)
        output = b""
        while select.select([main], [], [], 30)[0]:
            try:
                data = os.read(main, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            output += data
        assert process.wait(timeout=60) == 0
    os.close(main)
    return output.decode().replace("\r\n", "\n").splitlines()


def starts(line: str) -> list[int]:
    """Where each column's text starts (runs of two or more spaces separate columns)."""
    return [match.start() for match in re.finditer(r"(?:^|(?<=  ))\S", line)]


@pytest.mark.parametrize("kind", ["batches", "exports"])
def test_an_all_listing_is_one_table_that_fits_80_columns(fake: FakePackageX, kind: str) -> None:
    """``fake`` runs in its own thread (tests/cli/conftest.py), so it serves while we read."""
    lines = run_in_terminal(fake, kind, "list", "--all", "--limit", "7")

    header, *rows = lines
    assert len(rows) >= 14  # several pages, one table
    assert all(len(line) <= COLUMNS for line in lines), max(lines, key=len)
    for row in rows:
        assert starts(row) == starts(header)[: len(starts(row))], (header, row)
    assert "id" in header.split()
    assert not any(re.search(r"T\d\d:\d\d:\d\dZ", line) for line in rows)  # compact dates
