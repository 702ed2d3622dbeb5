"""``packagex demo`` and ``packagex serve-fake``: the SDK and the fake server, no account needed."""

from __future__ import annotations

import argparse

from ._exits import OK, USAGE, CLIError
from ._streams import Streams

__all__ = ["demo_command", "serve_fake_command"]


async def demo_command(args: argparse.Namespace, io: Streams) -> int:
    """Run the SDK against an in-process fake and print what it found."""
    from .._demo import run_demo  # imported late: aiohttp.web is not needed by other commands

    await run_demo(io.out)
    return OK


async def serve_fake_command(args: argparse.Namespace, io: Streams) -> int:
    """Serve a fake PackageX until interrupted, for tools in other languages."""
    from ..testing import serve

    try:
        await serve(
            host=args.host,
            port=args.port,
            batches=args.batches,
            exports=args.exports,
            seeded=dict(args.seeded),
            seed=args.seed,
            step_seconds=args.step_seconds,
        )
    except KeyError as unknown:  # --seeded named a resource the fake does not serve
        raise CLIError(f"--seeded: {unknown.args[0]}", USAGE) from None
    return OK
