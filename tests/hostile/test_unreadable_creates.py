"""A create answered 201 with a body that cannot be read: the job exists.

The error names the POST (not a GET of the same path) and carries
``outcome_unknown``: how to find the job that was made, so the caller does not
create it again blindly. It is raised once: a create is never resent.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from packagex_async import APIResponseValidationError, PackageX

from ._secrets import KEY, assert_no_secret
from ._server import HostileServer, Received, envelope, json_response, response

UNREADABLE = {
    "data a list": [{"id": "exp_new"}],
    "data null": None,
    "data a string": "exp_new",
    "no id": {"status": "queued"},
    "a bad created_at": {"id": "exp_new", "created_at": "soon"},
}


def answering(raw: bytes, received: list[Received]) -> Any:
    async def handler(request: Received, writer: asyncio.StreamWriter) -> None:
        received.append(request)
        writer.write(raw)

    return handler


async def create(raw: bytes, *, batches: bool = False) -> tuple[Exception, list[Received]]:
    received: list[Received] = []
    async with (
        HostileServer(answering(raw, received)) as server,
        PackageX(KEY, base_url=server.url) as px,
    ):
        with pytest.raises(APIResponseValidationError) as caught:
            if batches:
                await px.batches.create(resource="contact", action="merge", data=[{"n": 1}])
            else:
                await px.exports.create(resource="shipment")
    assert_no_secret(caught.value, [], [KEY])
    return caught.value, received


@pytest.mark.parametrize("name", list(UNREADABLE))
async def test_an_unreadable_201_names_the_post_and_says_the_job_may_exist(name: str) -> None:
    raw = json_response(envelope(UNREADABLE[name]), status=201)

    error, received = await create(raw)

    assert str(error).startswith("POST /v1/exports: the answer does not have the documented shape")
    assert "GET" not in str(error)
    assert error.status == 201
    assert error.outcome_unknown is not None
    assert "The export may or may not have been created" in error.outcome_unknown
    assert error.outcome_unknown in str(error)
    assert len(received) == 1  # never resent


async def test_an_unreadable_batch_create_names_its_path() -> None:
    raw = json_response(envelope({"status": "requested"}), status=201)

    error, _ = await create(raw, batches=True)

    assert str(error).startswith("POST /v1/batches: ")
    assert "field 'id' must be a non-empty string" in str(error)
    assert error.outcome_unknown is not None
    assert "The batch may or may not have been created" in error.outcome_unknown


async def test_a_201_that_is_not_json_is_not_resent_and_may_have_acted() -> None:
    raw = response(201, b"<html>created</html>", {"Content-Type": "text/html"})

    error, received = await create(raw)

    assert "not the PackageX JSON envelope" in str(error)
    assert error.outcome_unknown is not None
    assert len(received) == 1


async def test_a_readable_201_is_the_new_job() -> None:
    raw = json_response(envelope({"id": "exp_new", "status": "queued"}), status=201)
    received: list[Received] = []
    async with (
        HostileServer(answering(raw, received)) as server,
        PackageX(KEY, base_url=server.url) as px,
    ):
        export = await px.exports.create(resource="shipment")

    assert (export.id, export.status) == ("exp_new", "queued")
