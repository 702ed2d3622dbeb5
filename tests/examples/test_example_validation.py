"""The web examples check query parameters before they start an answer: 400, in JSON."""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType

import pytest
from aiohttp.test_utils import TestClient, TestServer

from packagex_async.testing import FakePackageX

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"validation_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakePackageX]:
    async with FakePackageX(batches=5, exports=5, seed=9) as server:
        monkeypatch.setenv("PX_API_KEY", server.api_key)
        monkeypatch.setenv("PX_BASE_URL", server.url)
        yield server


async def test_aiohttp_app_answers_a_bad_status_with_400_json(fake: FakePackageX) -> None:
    app = load("aiohttp_app").make_app()

    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        answer = await client.get("/batches.jsonl", params={"status": "complete"})
        body = await answer.json()

    assert answer.status == 400
    assert answer.content_type == "application/json"
    assert "status must be one of" in body["error"]
    assert [r for r in fake.requests if r.route == "list_batches"] == []
