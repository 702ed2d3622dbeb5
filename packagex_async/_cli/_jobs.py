"""``get``, ``wait`` and ``download``: one job of any resource, its outcome, its files."""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .._specs import FileSpec
from ._connect import connect
from ._exits import JOB_FAILED, OK, USAGE, CLIError
from ._kinds import Kind
from ._progress import Bar, progress_bar
from ._records import field_names, select, to_record
from ._streams import Streams
from ._writers import write_object

__all__ = [
    "default_download_name",
    "download_command",
    "get_command",
    "human_size",
    "show",
    "status_notes",
    "wait_command",
]


def status_notes(kind: Kind, io: Streams) -> Callable[[Any], None]:
    """A ``wait`` progress callback noting each new status for a person watching."""
    seen: list[str] = []

    def on_progress(job: Any) -> None:
        status = str(job.status)
        if not seen or seen[-1] != status:
            seen.append(status)
            io.note(f"{kind.noun} {job.id}: {status}")

    return on_progress


def show(kind: Kind, job: Any, args: argparse.Namespace, io: Streams) -> None:
    """One object in ``--format``, limited to ``--fields`` when given."""
    fields = kind.fields(args.fields)
    record = select(to_record(job), fields)
    write_object(args.format, io.out, record, fields=fields or field_names(kind.model))


async def get_command(kind: Kind, args: argparse.Namespace, io: Streams) -> int:
    """Retrieve one object; ``--include`` asks for presigned URLs of its files."""
    flags: dict[str, Any] = {f"include_{name}": True for name in args.include}
    async with connect(args, io.err) as px:
        found = await kind.api(px).retrieve(args.id, **flags)
    show(kind, found, args, io)
    for file in kind.spec.files:
        if file.flag in flags and getattr(found, file.attribute) is None:
            io.say(f"{file.attribute}: none ({file.exists_when})")
    return OK


async def wait_command(kind: Kind, args: argparse.Namespace, io: Streams) -> int:
    """Poll until a final status, print the object; exit 6 unless it completed."""
    on_progress = status_notes(kind, io)
    async with connect(args, io.err) as px:
        job = await kind.api(px).wait(
            args.id,
            timeout=args.timeout,
            poll_interval=args.poll_interval,
            on_progress=on_progress,
        )
    show(kind, job, args, io)
    return OK if str(job.status) == kind.spec.success_status else JOB_FAILED


async def download_command(kind: Kind, args: argparse.Namespace, io: Streams) -> int:
    """Download one file atomically (or stream it to stdout with ``-o -``)."""
    if args.output == "-":
        return await _to_stdout(kind, args, io)
    path = _target(args.output, args.id, kind.spec.file(args.file))
    if not path.parent.is_dir():
        raise CLIError(f"-o {args.output}: the directory {path.parent} does not exist", USAGE)
    if path.exists() and not args.force:
        raise CLIError(f"{path} exists; pass --force to replace it", USAGE)
    progress = _DownloadProgress(io, path.name)
    try:
        async with connect(args, io.err) as px:
            # argparse restricted FILE to the SDK's own names (``Kind.files``).
            download = kind.api(px).download
            done = await download(args.id, args.file, path, on_progress=progress)
    finally:
        progress.close()
    size: int | str = human_size(done.size) if args.format == "table" else done.size
    write_object(
        args.format, io.out, {"path": str(done.path), "size": size}, fields=("path", "size")
    )
    return OK


async def _to_stdout(kind: Kind, args: argparse.Namespace, io: Streams) -> int:
    """The file's bytes as they arrive, for a pipe (``-o - | gunzip``, ``| head``)."""
    out = io.out.buffer if hasattr(io.out, "buffer") else None
    io.out.flush()
    async with connect(args, io.err) as px:
        async for chunk in kind.api(px).stream(args.id, args.file):
            if out is None:
                io.out.write(chunk.decode("utf-8", "replace"))
            else:
                out.write(chunk)
    (out or io.out).flush()
    return OK


def human_size(size: int) -> str:
    """``512 B``, ``1.2 KiB``, ``3.4 MiB``: sizes for people (JSON and CSV keep bytes)."""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


class _DownloadProgress:
    """The SDK's ``on_progress`` callback, drawing a bar once the total is known."""

    def __init__(self, io: Streams, label: str) -> None:
        self._io = io
        self._label = label
        self._bar: Bar | None = None

    def __call__(self, done: int, total: int | None) -> None:
        if self._bar is None:  # created on the first chunk: Content-Length is known then
            self._bar = progress_bar(self._io.err, total=total, unit="B", description=self._label)
        self._bar.move_to(done, total)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def default_download_name(object_id: str, file: FileSpec) -> str:
    """``<id>.<file name>.<format>``: ``batch_1.result.json``, ``exp_1.error.csv``.

    The extension is the file's ``format``; the format's word is left out of the rest
    of its name (``result_json`` -> ``result``). The id is reduced to letters, digits,
    ``_`` and ``-``, so an odd id can never name a path outside the current directory.
    """
    stem = [word for word in file.name.split("_") if word != file.format]
    safe_id = re.sub(r"[^A-Za-z0-9_-]", "_", object_id)
    return ".".join([safe_id, *stem, file.format])


def _target(output: str | None, object_id: str, file: FileSpec) -> Path:
    """``-o`` as given; a directory (or no ``-o``) gets the default name.

    ``-o exports/`` (a trailing separator) means a directory even before it exists:
    it is created rather than becoming a file named ``exports``.
    """
    name = default_download_name(object_id, file)
    if output is None:
        return Path(name)
    path = Path(output)
    if output.endswith(("/", os.sep)):
        path.mkdir(parents=True, exist_ok=True)
    return path / name if path.is_dir() else path
