"""Where the SDK's listing time goes: scenario 1's SDK run under cProfile.

Not part of ``run.py``: profiling slows everything down, so its figures are only
useful as proportions. Use it when the listing target fails, to see which
functions dominate (``--sort tottime`` for the functions themselves, ``cumulative``
to see which layer: transport, decode, paginator).

    python benchmarks/profile_listing.py --limit 100 --top 25
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats

import peers
from fakeproc import running_fake
from listing import BATCHES


async def profiled_listing(url: str, api_key: str, limit: int) -> cProfile.Profile:
    """One warm-up walk, then one walk under the profiler."""
    px = peers.sdk_client(url, api_key)
    try:
        await peers.sdk_list(px, limit)
        profile = cProfile.Profile()
        profile.enable()
        await peers.sdk_list(px, limit)
        profile.disable()
        return profile
    finally:
        await px.close()


def main() -> None:
    """Profile, then print the top functions."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="tottime", choices=["tottime", "cumulative"])
    args = parser.parse_args()
    with running_fake(BATCHES) as endpoint:
        profile = asyncio.run(profiled_listing(endpoint.url, endpoint.api_key, args.limit))
    stats = pstats.Stats(profile)
    stats.strip_dirs().sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
