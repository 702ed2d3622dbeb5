"""A FastAPI service that opens one PackageX client in its lifespan and shares it.

The lifespan creates the client inside the server's loop at startup and closes it
at shutdown; handlers reach it through ``request.app.state``. Needs the
``examples`` extra (FastAPI and uvicorn). Run it (against the fake, with
``python -m packagex_async serve-fake`` elsewhere):

    PX_API_KEY=px_test_key_0123456789 PX_BASE_URL=http://127.0.0.1:8080 \\
        uvicorn examples.fastapi_app:app --port 8000

Query parameters are checked by the SDK before anything is sent, and a bad one is
answered 400 with a JSON error (FastAPI's ``HTTPException``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, HTTPException, Request

from packagex_async import NotFoundError, PackageX, PackageXValueError, to_dict


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    async with PackageX() as px:  # PX_API_KEY and PX_BASE_URL from the environment
        app.state.packagex = px
        yield


app = FastAPI(lifespan=lifespan)


@app.get("/exports")
async def completed_exports(request: Request, search: str | None = None) -> list[dict[str, Any]]:
    """Completed exports, biggest first."""
    px: PackageX = request.app.state.packagex
    try:
        listing = px.exports.list(
            statuses="completed", order_by="count_total", direction="desc", search=search
        )
    except PackageXValueError as error:
        raise HTTPException(status_code=400, detail=str(error)) from None
    return [to_dict(export) async for export in listing]


@app.get("/exports/{export_id}")
async def one_export(request: Request, export_id: str) -> dict[str, Any]:
    px: PackageX = request.app.state.packagex
    try:
        export = await px.exports.retrieve(export_id, include_csv=True)
    except NotFoundError:
        raise HTTPException(status_code=404, detail="no such export") from None
    return to_dict(export)  # plain data: FastAPI encodes the datetimes as ISO 8601
