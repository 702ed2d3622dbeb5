"""An aiohttp.web service that shares one PackageX client across all its handlers.

The client is created in ``cleanup_ctx`` (inside the server's loop, once) and closed
when the app shuts down. ``/batches.jsonl`` streams every batch as JSON lines while
it pages through the API, so the response starts at once and memory stays flat; a
client that hangs up midway stops the paging and is logged at INFO, not as an error.

Run it (against the fake, with ``python -m packagex_async serve-fake`` elsewhere):

    PX_API_KEY=px_test_key_0123456789 PX_BASE_URL=http://127.0.0.1:8080 \\
        python examples/aiohttp_app.py
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import orjson
from aiohttp import web

from packagex_async import NotFoundError, PackageX, PackageXValueError, to_json

CLIENT = web.AppKey("packagex", PackageX)
logger = logging.getLogger("aiohttp_app")


async def packagex_client(app: web.Application) -> AsyncIterator[None]:
    """One client for the app's lifetime (PX_API_KEY and PX_BASE_URL from the environment)."""
    async with PackageX() as px:
        app[CLIENT] = px
        yield


async def stream_batches(request: web.Request) -> web.StreamResponse:
    """Every batch, as JSON lines, written page by page as they arrive.

    ``list()`` checks ``?status=`` when it is called, before anything is sent or the
    response started, so a bad value is a 400 with a JSON error, not a cut stream.
    """
    try:
        batches = request.app[CLIENT].batches.list(
            status=request.query.get("status"), concurrency=4
        )
    except PackageXValueError as error:
        raise web.HTTPBadRequest(
            text=orjson.dumps({"error": str(error)}).decode(), content_type="application/json"
        ) from None
    response = web.StreamResponse(headers={"Content-Type": "application/x-ndjson"})
    await response.prepare(request)
    try:
        async with batches:  # leaving it cancels the page requests still in flight
            async for batch in batches:
                await response.write(to_json(batch) + b"\n")
        await response.write_eof()
    except ConnectionResetError:  # aiohttp's ClientConnectionResetError is one
        # The client went away mid-stream (closed a tab, a timeout of its own): normal
        # for a long answer, so no ERROR and no traceback, and no more pages fetched.
        logger.info("a client left %s before the end", request.path)
    return response


async def one_batch(request: web.Request) -> web.Response:
    try:
        batch = await request.app[CLIENT].batches.retrieve(request.match_info["batch_id"])
    except NotFoundError:
        raise web.HTTPNotFound(text="no such batch") from None
    return web.Response(body=to_json(batch), content_type="application/json")


def make_app() -> web.Application:
    app = web.Application()
    app.cleanup_ctx.append(packagex_client)
    app.router.add_get("/batches.jsonl", stream_batches)
    app.router.add_get("/batches/{batch_id}", one_batch)
    return app


if __name__ == "__main__":
    web.run_app(make_app(), host="127.0.0.1", port=8000)
