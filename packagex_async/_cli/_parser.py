"""The argument parser: ``packagex RESOURCE ACTION ...``, ``demo``, ``serve-fake``.

Connection and output options are accepted before the command (``packagex --format
json batches list``) and after it (``packagex batches list --format json``): the
copies on each command default to ``SUPPRESS`` so they never overwrite a value given
earlier on the line.
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable, Iterable
from typing import Any, TypeAlias

from .. import __version__
from .._settings import (
    API_KEY_ENV_VAR,
    BASE_URL_ENV_VAR,
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    DEFAULT_WAIT_TIMEOUT,
)
from ._argparse import Parser
from ._completion import SHELLS, completion_command, values
from ._config import PROFILE_ENV_VAR
from ._config_show import config_show_command
from ._create import add_create_options, create_command
from ._exits import EXIT_CODES_HELP
from ._fake import demo_command, serve_fake_command
from ._jobs import download_command, get_command, wait_command
from ._kinds import KINDS, Kind
from ._listing import list_command
from ._values import add_poll_interval, comma_choices, count, object_id, seconds
from ._writers import FORMATS

__all__ = ["build_parser"]

_Commands: TypeAlias = "argparse._SubParsersAction[Parser]"

_CONFIG_HINT = "~/.config/packagex/config.toml"

_EPILOG = f"""\
The API key comes from --api-key-file PATH ("-" reads stdin), {API_KEY_ENV_VAR}, or a
profile in {_CONFIG_HINT} (packagex config show says which).
Tables are for people; use --format json, jsonl or csv in scripts and pipes.

{EXIT_CODES_HELP}"""


def build_parser() -> argparse.ArgumentParser:
    """The whole command line."""
    parser = Parser(
        prog="packagex",
        description="PackageX job resources from the command line.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_shared_options(suppress=False)],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    shared = _shared_options(suppress=True)
    for kind in KINDS:
        _add_kind(commands, kind, shared)
    _add_config_command(commands, shared)
    completion = commands.add_parser("completion", help="print a shell completion script")
    completion.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    completion.set_defaults(run=completion_command)
    _add_fake_commands(commands)
    return parser


def _add_config_command(commands: _Commands, shared: Parser) -> None:
    config = commands.add_parser("config", help="show the effective settings", parents=[shared])
    actions = config.add_subparsers(dest="action", required=True, metavar="ACTION")
    show = actions.add_parser(
        "show",
        help="each setting, its value and where it came from (the key masked)",
        parents=[shared],
    )
    show.set_defaults(run=config_show_command)


def _shared_options(*, suppress: bool) -> Parser:
    """Connection and output options; ``suppress`` for the per-command copies."""

    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    options = Parser(add_help=False)
    _connection_options(connection := options.add_argument_group("connection"), default)
    _network_options(connection, default)
    _redis_options(options.add_argument_group("shared pacing"), default)
    _output_options(options.add_argument_group("output"), default)
    return options


Default = Callable[[object], object]


def _connection_options(group: argparse._ArgumentGroup, default: Default) -> None:
    group.add_argument(
        "--profile",
        metavar="NAME",
        default=default(None),
        help=f"settings from this profile of {_CONFIG_HINT} (default: {PROFILE_ENV_VAR}, "
        "else [default])",
    )
    group.add_argument(
        "--api-key-file",
        metavar="PATH",
        default=default(None),
        help=f"read the API key from this file instead of {API_KEY_ENV_VAR} ('-': stdin)",
    )
    group.add_argument(
        "--api-key",
        metavar="KEY",
        default=default(None),
        help="the API key itself (discouraged: visible in the process list; warns)",
    )
    group.add_argument(
        "--base-url",
        metavar="URL",
        default=default(None),
        help=f"the API's address (default: {BASE_URL_ENV_VAR}, else {DEFAULT_BASE_URL})",
    )
    group.add_argument(
        "--request-timeout",
        type=seconds,
        metavar="SECONDS",
        default=default(None),
        help=f"give up on an unanswered request after this long (default: {DEFAULT_TIMEOUT:g})",
    )


def _network_options(group: argparse._ArgumentGroup, default: Default) -> None:
    group.add_argument(
        "--proxy",
        metavar="URL",
        default=default(None),
        help="send requests through this proxy, http://[user:pass@]host:port "
        "(default: HTTPS_PROXY / HTTP_PROXY, NO_PROXY honoured)",
    )
    group.add_argument(
        "--ca-bundle",
        metavar="PATH",
        default=default(None),
        help="trust the CA certificates in this PEM file (a corporate proxy's CA)",
    )


def _redis_options(group: argparse._ArgumentGroup, default: Default) -> None:
    """Shared pacing with workers that use ``RedisPacing``."""
    group.add_argument(
        "--redis-url",
        metavar="URL",
        default=default(None),
        help="share the 429 pause with the workers using this Redis (redis://host:6379/0; "
        "a password here shows in the process list: prefer the profile key redis_url)",
    )
    group.add_argument(
        "--redis-namespace",
        metavar="NAME",
        default=default(None),
        help="the workers' RedisPacing namespace (default: packagex)",
    )


def _output_options(group: argparse._ArgumentGroup, default: Default) -> None:
    group.add_argument(
        "--format",
        choices=FORMATS,
        default=default("table"),
        help="output format (default: table)",
    )
    group.add_argument(
        "--fields",
        type=_comma_list,
        metavar="A,B,C",
        default=default(None),
        help="only these fields, in this order, in every format",
    )
    group.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=default(0),
        help="-v: each request on stderr; -vv: retries and pauses too",
    )
    group.add_argument(
        "-q", "--quiet", action="store_true", default=default(False), help="print only data"
    )


def _add_kind(commands: _Commands, kind: Kind, shared: Parser) -> None:
    parser = commands.add_parser(
        kind.name, help=f"list, get, create, wait for and download {kind.name}", parents=[shared]
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    def action(name: str, run: Callable[..., Any], summary: str) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = actions.add_parser(
            name, help=summary, description=summary[0].upper() + summary[1:] + ".", parents=[shared]
        )
        sub.set_defaults(run=functools.partial(run, kind))
        return sub

    listing = action("list", list_command, f"list {kind.name}, one page or --all")
    _add_filters(listing, kind)
    _add_paging(listing)
    _add_get(action("get", get_command, f"show one {kind.noun}"), kind)
    _add_wait(action("wait", wait_command, f"wait until a {kind.noun} is finished and show it"))
    _add_download(action("download", download_command, f"download a file of a {kind.noun}"), kind)
    add_create_options(action("create", create_command, f"start a new {kind.noun}"), kind)


def _add_get(parser: argparse.ArgumentParser, kind: Kind) -> None:
    parser.add_argument("id", metavar="ID", type=object_id)
    parser.add_argument(
        "--include",
        metavar="FILES",
        type=_names(kind.includes),
        action="extend",
        default=[],
        help=f"add presigned URLs for these files (comma-separated): {', '.join(kind.includes)}",
    )


def _add_wait(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", type=object_id)
    parser.add_argument(
        "--timeout",
        type=seconds,
        default=DEFAULT_WAIT_TIMEOUT,
        metavar="SECONDS",
        help=f"give up (exit 5) after this long (default: {DEFAULT_WAIT_TIMEOUT:g})",
    )
    add_poll_interval(parser)


def _add_download(parser: argparse.ArgumentParser, kind: Kind) -> None:
    parser.add_argument("id", metavar="ID", type=object_id)
    parser.add_argument("file", metavar="FILE", choices=kind.files, help=", ".join(kind.files))
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="where to save it (default: ./<ID>.<file>.<ext>; a directory: inside it; '-': stdout)",
    )
    parser.add_argument("--force", action="store_true", help="replace an existing file")


def _add_filters(parser: argparse.ArgumentParser, kind: Kind) -> None:
    """One option per filter of the spec; the SDK validates the values, the help lists them."""
    group = parser.add_argument_group("filters")
    for spec in kind.filters:
        option = "--" + spec.name.replace("_", "-")
        help_text = ", ".join(part for part in (spec.help, _one_of(spec.choices)) if part)
        checked: dict[str, Any] = {}
        if spec.many:
            checked["type"] = comma_choices(spec.choices)
        elif spec.choices:
            checked["choices"] = spec.choices
        added = group.add_argument(option, dest=spec.name, help=help_text, **checked)
        values(added, spec.choices)


def _add_paging(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("pages")
    group.add_argument("--page", type=count, default=1, help="page to show (or start --all at)")
    group.add_argument("--limit", type=count, help="items per page (default: the API's)")
    group.add_argument("--all", action="store_true", help="every page, streamed as it arrives")
    group.add_argument(
        "--concurrency",
        type=count,
        default=1,
        metavar="N",
        help="with --all: fetch up to N pages at once (default: 1)",
    )


def _add_fake_commands(commands: _Commands) -> None:
    demo = commands.add_parser("demo", help="run the SDK against a fake PackageX on loopback")
    demo.set_defaults(run=demo_command)
    serve = commands.add_parser("serve-fake", help="run a fake PackageX API for your own tests")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    serve.add_argument("--port", type=int, default=8080, help="API port (default: 8080)")
    serve.add_argument("--batches", type=int, default=60, help="seeded batches (default: 60)")
    serve.add_argument("--exports", type=int, default=30, help="seeded exports (default: 30)")
    serve.add_argument(
        "--seeded",
        action="append",
        default=[],
        type=_name_count,
        metavar="RESOURCE=N",
        help="seeded items of any resource, e.g. imports=5 (repeatable)",
    )
    serve.add_argument("--seed", type=int, default=0, help="data seed (default: 0)")
    serve.add_argument(
        "--step-seconds",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="how long a created job stays in each status (default: 1)",
    )
    serve.set_defaults(run=serve_fake_command)


def _name_count(text: str) -> tuple[str, int]:
    """``imports=5``: a resource's name and a count >= 0 (the fake checks the name)."""
    name, sep, number = text.partition("=")
    if not sep or not name or not number.isdigit():
        raise argparse.ArgumentTypeError(f"expected RESOURCE=N, e.g. imports=5, got {text!r}")
    return name, int(number)


def _one_of(choices: Iterable[str]) -> str:
    names = ", ".join(choices)
    return f"one of: {names}" if names else ""


def _comma_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _names(allowed: tuple[str, ...]) -> Callable[[str], list[str]]:
    """An argparse type: comma-separated names, each one of ``allowed``."""

    def parse(text: str) -> list[str]:
        names = _comma_list(text)
        unknown = [name for name in names if name not in allowed]
        if unknown:
            raise argparse.ArgumentTypeError(
                f"unknown file {unknown[0]!r}; allowed: {', '.join(allowed)}"
            )
        return names

    return parse
