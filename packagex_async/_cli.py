"""The command line: ``demo`` and ``serve-fake``.

Presentation only: every command is a thin call into the SDK or the fake server.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the return value is the process exit code."""
    args = _parser().parse_args(argv)
    try:
        code: int = asyncio.run(args.run(args))
    except KeyboardInterrupt:
        return 130
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="packagex", description="PackageX Batches and Exports from the command line."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo = commands.add_parser("demo", help="run the SDK against a fake PackageX on loopback")
    demo.set_defaults(run=_demo)
    serve = commands.add_parser("serve-fake", help="run a fake PackageX API for your own tests")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    serve.add_argument("--port", type=int, default=8080, help="API port (default: 8080)")
    serve.add_argument("--batches", type=int, default=60, help="seeded batches (default: 60)")
    serve.add_argument("--exports", type=int, default=30, help="seeded exports (default: 30)")
    serve.add_argument("--seed", type=int, default=0, help="data seed (default: 0)")
    serve.set_defaults(run=_serve_fake)
    return parser


async def _demo(args: argparse.Namespace) -> int:
    from ._demo import run_demo

    await run_demo(sys.stdout)
    return 0


async def _serve_fake(args: argparse.Namespace) -> int:
    from .testing import serve

    await serve(
        host=args.host, port=args.port, batches=args.batches, exports=args.exports, seed=args.seed
    )
    return 0
