"""``--redis-url`` / ``redis_url``: a script next to the workers honours their 429 pause."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from packagex_async._http._clock import RecordingClock
from packagex_async.testing import FakePackageX

from ..redis._server import RedisServer, free_port, redis_binary
from .conftest import Result
from .test_config import config_home, write_config

__all__ = ["config_home"]  # the fixture, used here by name

Cli = Callable[..., Result]
PASSWORD = "s3cret-Redis-pw"


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(redis_binary(), tmp_path)
    server.start()
    yield server
    server.stop()


def pause_the_fleet(server: RedisServer, namespace: str, seconds: float) -> None:
    """What a worker's 429 leaves in Redis: a pause ``seconds`` long from now."""
    import redis

    with redis.Redis.from_url(server.url) as direct:
        sec, usec = direct.time()
        until = (sec + seconds) * 1_000_000 + usec
        direct.hset(f"{namespace}:pacing", mapping={"pause": until, "next": until, "epoch": 1})


def test_a_pause_in_redis_holds_the_command(
    cli: Cli, fake: FakePackageX, redis_server: RedisServer, recorded: RecordingClock
) -> None:
    pause_the_fleet(redis_server, "px-prod", 1.0)
    batch = fake.batches[0]["id"]

    other = cli("batches", "get", batch, "--redis-url", redis_server.url)
    paused = cli(
        "batches",
        "get",
        batch,
        "--redis-url",
        redis_server.url,
        "--redis-namespace",
        "px-prod",
    )

    assert other.code == paused.code == 0, paused.err
    assert len(recorded.waits) == 1  # only the command in the workers' namespace waited
    assert 0.5 < recorded.waits[0] <= 1.0


def test_redis_down_the_command_works_and_warns_once_without_the_password(
    cli: Cli, fake: FakePackageX, recorded: RecordingClock
) -> None:
    url = f"redis://:{PASSWORD}@127.0.0.1:{free_port()}/0"

    result = cli("batches", "list", "--limit", "3", "--redis-url", url)

    assert result.code == 0, result.err
    assert len(result.out.splitlines()) == 4  # header and three batches
    assert result.err.count("packagex: warning: Redis") == 1
    assert PASSWORD not in result.err


def test_profile_redis_url_is_shown_without_its_password_and_a_flag_beats_it(
    cli: Cli, config_home: Path
) -> None:
    write_config(
        config_home,
        f'[default]\nredis_url = "redis://:{PASSWORD}@redis.internal:6379/1"\n'
        'redis_namespace = "px-prod"\n',
    )

    shown = json.loads(cli("config", "show", "--format", "json").out)
    flagged = json.loads(
        cli("config", "show", "--format", "json", "--redis-url", "redis://10.0.0.9").out
    )

    assert shown["redis_url"]["value"] == "redis://redis.internal:6379/1"
    assert shown["redis_url"]["source"].startswith("profile default (")
    assert shown["redis_namespace"]["value"] == "px-prod"
    assert PASSWORD not in json.dumps(shown)
    assert flagged["redis_url"] == {"value": "redis://10.0.0.9", "source": "flag --redis-url"}


def test_a_bad_redis_url_is_a_usage_error(cli: Cli, config_home: Path) -> None:
    result = cli("batches", "list", "--redis-url", f"http://:{PASSWORD}@127.0.0.1")

    assert result.code == 2
    assert "redis://" in result.err
    assert PASSWORD not in result.err
