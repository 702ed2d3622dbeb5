"""``<resource> create``: start a job, optionally wait and download.

The options come from the resource's ``CreateSpec``: a ``rows`` form (a source of rows
and the create's plain arguments, as batches and imports take them) or a ``query``
form (the list API's filters, as an export takes them). They map one to one onto the
resource's ``create``; the SDK checks the values (a ``PackageXValueError`` is a usage
error, exit 2). The new id is printed (``--format json``: the whole object);
``--wait`` waits for a final status, and a job that ends without its success status
exits 6, as ``wait`` does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from .._jobs._creates import between, since, until
from .._params import check_path, wrong_value
from .._specs import CreateSpec
from ._completion import values
from ._connect import connect
from ._exits import JOB_FAILED, OK, USAGE, CLIError
from ._jobs import show, status_notes
from ._kinds import Kind
from ._streams import Streams
from ._values import add_poll_interval

__all__ = ["add_create_options", "create_command"]


def add_create_options(parser: argparse.ArgumentParser, kind: Kind) -> None:
    """The options of ``<kind> create``, after its RESOURCE argument."""
    create = kind.spec.create
    parser.add_argument("resource", metavar="RESOURCE", help=create.resource_help)
    if create.form == "query":
        _add_query_options(parser)
    else:
        _add_rows_options(parser, kind.noun, create)
    parser.add_argument("--wait", action="store_true", help="wait until it is finished")
    add_poll_interval(parser)


def _add_query_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("query")
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
    group.add_argument("--download", metavar="PATH", help="with --wait: save the file to PATH")
    group.add_argument("--force", action="store_true", help="with --download: replace PATH")


_SOURCES = {
    "file": ("PATH", "a .csv, .xlsx or .xls file to import"),
    "url": ("URL", "an https:// URL of a public file"),
    "data": ("FILE", "a JSON array of rows ('-': stdin)"),
}
"""What each row source of a ``rows`` form takes on the command line."""


def _add_rows_options(parser: argparse.ArgumentParser, noun: str, create: CreateSpec) -> None:
    group = parser.add_argument_group(noun)
    source = group.add_mutually_exclusive_group(required=create.source_required)
    for name in create.sources:
        metavar, help_text = _SOURCES[name]
        source.add_argument(f"--{name}", metavar=metavar, help=help_text)
    for argument in create.arguments:
        option = "--" + argument.name.replace("_", "-")
        if argument.flag:  # --save-upload sends true, --no-save-upload false, neither: unsent
            group.add_argument(
                option, action=argparse.BooleanOptionalAction, default=None, help=argument.help
            )
            continue
        added = group.add_argument(option, required=argument.required, help=argument.help)
        values(added, argument.choices)


async def create_command(kind: Kind, args: argparse.Namespace, io: Streams) -> int:
    """Create one job and print it: as created, or with ``--wait`` as it ended.

    stdout gets one record either way (``table``: the id), so scripts can capture it;
    progress notes go to stderr.
    """
    create = kind.spec.create
    target = _download_target(kind, args)
    arguments = _query_arguments(args) if create.form == "query" else _rows_arguments(args, create)
    async with connect(args, io.err) as px:
        resource = kind.api(px)
        job: Any = await resource.create(**arguments)
        io.note(f"{kind.noun} {job.id}: {job.status}")
        if args.wait:
            job = await resource.wait(
                job.id, poll_interval=args.poll_interval, on_progress=status_notes(kind, io)
            )
        _show(kind, job, args, io)
        if args.wait and str(job.status) != kind.spec.success_status:
            return JOB_FAILED
        if target is not None:
            done = await resource.download(job.id, create.download, target)
            io.note(f"saved {done.path} ({done.size} bytes)")
    return OK


def _download_target(kind: Kind, args: argparse.Namespace) -> Path | None:
    """Where ``--download`` saves the file, checked before the job is created."""
    given = getattr(args, "download", None)
    if given is None:
        return None
    if not args.wait:
        wrong_value(f"--download needs --wait (the file exists once the {kind.noun} is finished)")
    if given == "-":
        file = kind.spec.create.download
        wrong_value(
            f"--download - would mix the file into stdout, which gets the {kind.noun}; give a "
            f"file, or stream it after: packagex {kind.name} download ID {file} -o -"
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


def _query_arguments(args: argparse.Namespace) -> dict[str, Any]:
    options: dict[str, Any] = dict(_key_value(item) for item in args.option)
    if args.since is not None and args.until is not None:
        if args.since > args.until:
            wrong_value(f"--since {args.since} is after --until {args.until}: no row is between")
        options["created_at"] = between(args.since, args.until)  # one bwi: condition
    elif args.since is not None:
        options["created_at"] = since(args.since)
    elif args.until is not None:
        options["created_at"] = until(args.until)
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


def _rows_arguments(args: argparse.Namespace, create: CreateSpec) -> dict[str, Any]:
    """The create's keyword arguments: the source given, then each declared argument."""
    given: dict[str, Any] = {name: getattr(args, name) for name in create.sources}
    if given.get("data") is not None:
        given["data"] = _rows(given["data"])
    given.update((a.name, getattr(args, a.name)) for a in create.arguments)
    return {"resource": args.resource, **given}


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
