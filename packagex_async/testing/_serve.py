"""``serve``: run a fake until cancelled, for ``python -m packagex_async serve-fake``."""

from __future__ import annotations

import asyncio
from typing import Any

from ._server import FakePackageX

__all__ = ["serve"]


async def serve(*, host: str = "127.0.0.1", port: int = 8080, **fake_options: Any) -> None:
    """Run a FakePackageX on ``host:port`` until cancelled, printing where it listens."""
    async with FakePackageX(host=host, port=port, **fake_options) as fake:
        print(f"PackageX fake API:  {fake.url}  (paths under /v1)", flush=True)
        print(f"Fake storage:       {fake.storage_url}", flush=True)
        print(f"API key:            {fake.api_key}", flush=True)
        await asyncio.Event().wait()
