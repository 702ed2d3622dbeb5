"""A FastAPI service that opens one PackageX client in its lifespan and shares it.

The lifespan creates the client inside the server's loop at startup and closes it
at shutdown; handlers reach it through ``request.app.state``. Needs the
``examples`` extra (FastAPI and uvicorn).

    PX_API_KEY=... uvicorn examples.fastapi_app:app
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import attrs
from fastapi import FastAPI, HTTPException, Request

from packagex_async import NotFoundError, PackageX


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    base_url = os.environ.get("PX_BASE_URL", "https://api.packagex.io")
    async with PackageX(base_url=base_url) as px:
        app.state.packagex = px
        yield


app = FastAPI(lifespan=lifespan)


@app.get("/exports")
async def completed_exports(request: Request, search: str | None = None) -> list[dict[str, Any]]:
    """Completed exports, biggest first."""
    px: PackageX = request.app.state.packagex
    listing = px.exports.list(
        statuses="completed", order_by="count_total", direction="desc", search=search
    )
    return [attrs.asdict(export) async for export in listing]


@app.get("/exports/{export_id}")
async def one_export(request: Request, export_id: str) -> dict[str, Any]:
    px: PackageX = request.app.state.packagex
    try:
        export = await px.exports.retrieve(export_id, include_csv=True)
    except NotFoundError:
        raise HTTPException(status_code=404, detail="no such export") from None
    return attrs.asdict(export)
