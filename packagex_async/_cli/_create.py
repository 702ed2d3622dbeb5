"""``exports create`` and ``batches create``: start a job, optionally wait and download.

The options map one to one onto ``exports.create`` / ``batches.create``; the SDK
checks the values (a ``PackageXValueError`` is a usage error, exit 2). The new id is
printed (``--format json``: the whole object); ``--wait`` waits for a final status,
and a job that ends without completing exits 6, as ``wait`` does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from .._creates import since, until
from .._params import check_path, wrong_value
from ._connect import connect
from ._exits import JOB_FAILED, OK, USAGE, CLIError
from ._jobs import show, status_notes
from ._kinds import Kind
from ._streams import Streams
from ._values import add_poll_interval

__all__ = ["add_create_options", "create_command"]


def add_create_options(parser: argparse.ArgumentParser, kind: Kind) -> None:
    """The options of ``<kind> create``, after its RESOURCE argument."""
    parser.add_argument("resource", metavar="RESOURCE", help="what to export or import")
    if kind.name == "exports":
        _add_export_options(parser)
    else:
        _add_batch_options(parser)
    parser.add_argument("--wait", action="store_true", help="wait until it is finished")
    add_poll_interval(parser)


def _add_export_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("export")
    group.add_argument("--since", type=_date, metavar="DATE", help="created on or after DATE")
    group.add_argument("--until", type=_date, metavar="DATE", help="created on or before DATE")
    group.add_argument("--limit", metavar="N|all", help="at most N rows (default: the API's)")
    group.add_argument("--order-by", metavar="FIELD", help="sort the rows by FIELD")
    group.add_argument("--direction", choices=("asc", "desc"), help="sort direction")
    group.add_argument("--columns", metavar="A,B,C", help="CSV columns, in this order")
    group.add_argument("--timezone", metavar="TZ", help="IANA time zone for CSV dates")
    group.add_argument("--datetime-format", metavar="F", help="e.g. 'MM/dd/yyyy hh:mm a'")
    group.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="any other option of the list API, e.g. group_id=grp_1 (repeatable)",
    )
    group.add_argument("--download", metavar="PATH", help="with --wait: save the CSV to PATH")
    group.add_argument("--force", action="store_true", help="with --download: replace PATH")


def _add_batch_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("batch")
    group.add_argument("--action", required=True, help="merge, overwrite or delete")
    source = group.add_mutually_exclusive_group(required=True)
    source.add_argument("--file", metavar="PATH", help="a .csv, .xlsx or .xls file to import")
    source.add_argument("--url", metavar="URL", help="an https:// URL of a public file")
    source.add_argument("--data", metavar="FILE", help="a JSON array of rows ('-': stdin)")
    group.add_argument("--mode", help="sync or mixed (default: mixed)")
    group.add_argument("--save-upload", action="store_true", default=None, help="keep the file")
    group.add_argument(
        "--save-result", action="store_true", default=None, help="keep the result file"
    )
    group.add_argument("--duplicate-handling", help="ignore_all or use_first")


async def create_command(kind: Kind, args: argparse.Namespace, io: Streams) -> int:
    """Create one job and print it: as created, or with ``--wait`` as it ended.

    stdout gets one record either way (``table``: the id), so scripts can capture it;
    progress notes go to stderr.
    """
    target = _download_target(args)
    async with connect(args, io.err) as px:
        if kind.name == "exports":
            job: Any = await px.exports.create(**_export_arguments(args))
        else:
            job = await px.batches.create(**_batch_arguments(args))
        io.note(f"{kind.noun} {job.id}: {job.status}")
        if args.wait:
            job = await kind.api(px).wait(
                job.id, poll_interval=args.poll_interval, on_progress=status_notes(kind, io)
            )
        _show(kind, job, args, io)
        if args.wait and str(job.status) != "completed":
            return JOB_FAILED
        if target is not None:
            done = await px.exports.download(job.id, "csv", target)
            io.note(f"saved {done.path} ({done.size} bytes)")
    return OK


def _download_target(args: argparse.Namespace) -> Path | None:
    """Where ``--download`` saves the CSV, checked before the export is created."""
    given = getattr(args, "download", None)
    if given is None:
        return None
    if not args.wait:
        wrong_value("--download needs --wait (the file exists once the export is completed)")
    if given == "-":
        wrong_value(
            "--download - would mix the CSV into stdout, which gets the export; give a file, "
            "or stream it after: packagex exports download ID csv -o -"
        )
    path = check_path("--download", given)
    if path.exists() and not args.force:
        raise CLIError(f"{path} exists; pass --force to replace it", USAGE)
    return path


def _show(kind: Kind, job: Any, args: argparse.Namespace, io: Streams) -> None:
    """The id for a person (``table``), else the object as ``get`` would show it."""
    if args.format == "table" and args.fields is None:
        io.out.write(f"{job.id}\n")
    else:
        show(kind, job, args, io)


def _export_arguments(args: argparse.Namespace) -> dict[str, Any]:
    options: dict[str, Any] = dict(_key_value(item) for item in args.option)
    if args.since is not None and args.until is not None and args.since > args.until:
        wrong_value(f"--since {args.since} is after --until {args.until}: no row is in between")
    dates = [since(args.since)] if args.since is not None else []
    if args.until is not None:
        dates.append(until(args.until))
    if dates:  # one condition as documented; both as a list of conditions on created_at
        options["created_at"] = dates[0] if len(dates) == 1 else dates
    for name in ("order_by", "direction"):
        if getattr(args, name) is not None:
            options[name] = getattr(args, name)
    if args.limit is not None:
        options["limit"] = args.limit if args.limit == "all" else _count("--limit", args.limit)
    csv_options: dict[str, Any] = {}
    if args.columns is not None:  # "" too: the SDK says what is wrong with it
        csv_options["columns"] = {name.strip(): True for name in args.columns.split(",")}
    for name in ("timezone", "datetime_format"):
        if getattr(args, name) is not None:
            csv_options[name] = getattr(args, name)
    return {
        "resource": args.resource,
        "options": options or None,
        "csv_field_options": csv_options or None,
    }


def _batch_arguments(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "resource": args.resource,
        "action": args.action,
        "data": None if args.data is None else _rows(args.data),
        "file": args.file,
        "url": args.url,
        "mode": args.mode,
        "save_upload": args.save_upload,
        "save_result": args.save_result,
        "duplicate_handling": args.duplicate_handling,
    }


def _rows(source: str) -> Any:
    reason = None
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
    if reason is not None:
        wrong_value(f"--data {source}: cannot read it: {reason}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        wrong_value(f"--data {source}: not JSON ({exc.msg} at line {exc.lineno})")


def _key_value(item: str) -> tuple[str, str]:
    key, sep, value = item.partition("=")
    if not sep or not key:
        wrong_value(f"--option takes KEY=VALUE, got {item!r}")
    return key.strip(), value


def _count(option: str, text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        wrong_value(f"{option} takes a whole number >= 1 or 'all', got {text!r}")
    return int(text)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
