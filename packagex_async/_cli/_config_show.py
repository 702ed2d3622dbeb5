"""``packagex config show``: every effective setting, its value and where it came from."""

from __future__ import annotations

import argparse

from .._http import Redactor
from .._http._redis_pacing import shown_url as shown
from ._config import Setting, resolve
from ._exits import OK
from ._streams import Streams
from ._writers import write_object

__all__ = ["config_show_command", "mask"]


async def config_show_command(args: argparse.Namespace, io: Streams) -> int:
    """Print the settings a command would use here, the key masked."""
    settings = resolve(args, io.err)
    rows = {
        "config_file": (str(settings.path), "exists" if settings.path.exists() else "absent"),
        "profile": (settings.profile or "-", ""),
        "base_url": _shown(settings.base_url),
        "api_key": _shown(settings.api_key, secret=True),
        "timeout": _shown(settings.timeout),
        "max_retries": _shown(settings.max_retries),
        "proxy": _shown(settings.proxy, proxy=True),
        "ca_bundle": _shown(settings.ca_bundle),
        **_redis_rows(settings.redis),
    }
    if args.format == "table":
        width = max(len(name) for name in rows)
        for name, (value, source) in rows.items():
            io.out.write(f"{name:<{width}}  {value}" + (f"  ({source})" if source else "") + "\n")
    else:
        record = {
            name: {"value": value, "source": source} for name, (value, source) in rows.items()
        }
        write_object(args.format, io.out, record, fields=tuple(rows))
    return OK


def _shown(
    setting: Setting | None, *, secret: bool = False, proxy: bool = False
) -> tuple[str, str]:
    if setting is None:
        return "-", "not set"
    value = mask(str(setting.value)) if secret else str(setting.value)
    if proxy:  # a proxy URL's user:password@ is a secret too
        value = Redactor().text(value)
    return value, setting.source


def _redis_rows(redis: dict[str, Setting]) -> dict[str, tuple[str, str]]:
    """The shared pacing settings; the URL without its password (``RedisPacing.where``)."""
    url = redis.get("redis_url")
    rows = {"redis_url": ("-", "not set") if url is None else (shown(str(url.value)), url.source)}
    return rows | {"redis_namespace": _shown(redis.get("redis_namespace"))}


def mask(key: str) -> str:
    """All but the last four characters hidden (fewer for a short key)."""
    shown = 4 if len(key) >= 12 else 0
    return "*" * (len(key) - shown) + key[len(key) - shown :]
