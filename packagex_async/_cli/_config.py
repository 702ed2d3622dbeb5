"""Where the CLI's settings come from: defaults, a profile, the environment, flags.

Lowest precedence first:

1. built-in defaults;
2. a profile from ``$XDG_CONFIG_HOME/packagex/config.toml`` (``~/.config/...``):
   each top-level table is a profile named after it (``[default]``, ``[sandbox]``),
   with the keys ``base_url``, ``api_key`` or ``api_key_file``, ``timeout``,
   ``max_retries``, ``proxy`` and ``ca_bundle`` (and ``redis_url``,
   ``redis_namespace``: shared pacing); chosen by ``--profile NAME`` or
   ``PX_PROFILE``, else ``default`` if the file has one;
3. the environment: ``PX_API_KEY``, ``PX_BASE_URL``;
4. flags.

Every value remembers where it came from, for ``packagex config show`` and for
hints that name the right place to fix ("the key from profile sandbox was
rejected"). Profiles are for the command line: ``PackageX()`` reads only the
environment.
"""

from __future__ import annotations

import argparse
import difflib
import os
import stat
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TextIO

import attrs

from .._errors import PackageXError
from .._params import check_int, check_seconds, check_text
from .._settings import (
    API_KEY_ENV_VAR,
    BASE_URL_ENV_VAR,
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    check_base_url,
    resolve_api_key,
)
from ._exits import AUTH, USAGE, CLIError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - 3.10
    import tomli as tomllib

__all__ = ["PROFILE_ENV_VAR", "Setting", "Settings", "config_path", "resolve"]

PROFILE_ENV_VAR = "PX_PROFILE"
PROFILE_KEYS = (
    "base_url",
    "api_key",
    "api_key_file",
    "timeout",
    "max_retries",
    "proxy",
    "ca_bundle",
)
REDIS_KEYS = ("redis_url", "redis_namespace")
"""Shared pacing with the fleet (``RedisPacing``): flags ``--redis-url``, ``--redis-namespace``."""
DEFAULTS: dict[str, Any] = {
    "base_url": DEFAULT_BASE_URL,
    "timeout": DEFAULT_TIMEOUT,
    "max_retries": DEFAULT_MAX_RETRIES,
}


@attrs.frozen
class Setting:
    """One effective value and where it came from ("flag --base-url", "env PX_API_KEY")."""

    value: Any
    source: str


@attrs.frozen
class Settings:
    """The effective settings of one command."""

    base_url: Setting
    api_key: Setting | None = attrs.field(repr=lambda key: _hidden(key))
    timeout: Setting
    max_retries: Setting
    profile: str | None
    path: Path
    proxy: Setting | None = attrs.field(default=None, repr=lambda proxy: _hidden(proxy))
    ca_bundle: Setting | None = None
    redis: dict[str, Setting] = attrs.Factory(dict)


def _hidden(setting: Setting | None) -> str:
    """A secret setting's repr: where it came from, never its value."""
    return "None" if setting is None else f"Setting(value='[redacted]', source={setting.source!r})"


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/packagex/config.toml``, ``~/.config/...`` without it."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "packagex" / "config.toml"


def resolve(args: argparse.Namespace, err: TextIO) -> Settings:
    """The settings for ``args``: each from the highest-precedence place that has it."""
    path = config_path()
    name, profile = _profile(path, getattr(args, "profile", None), err)
    where = f"profile {name} ({path})" if name else ""
    values: dict[str, Setting] = {k: Setting(v, "default") for k, v in DEFAULTS.items()}
    values.update({k: Setting(v, where) for k, v in profile.items()})
    if os.environ.get(BASE_URL_ENV_VAR):
        values["base_url"] = Setting(os.environ[BASE_URL_ENV_VAR], f"env {BASE_URL_ENV_VAR}")
    for option, field in (("base_url", "base_url"), ("request_timeout", "timeout")):
        given = getattr(args, option, None)
        if given is not None:
            values[field] = Setting(given, f"flag --{option.replace('_', '-')}")
    # The first place that has a key wins; a profile's key file is read only then.
    key = _key_from_flags(args, err) or _key_from_env() or _key_from_profile(profile, where)
    redis = {k: values[k] for k in REDIS_KEYS if k in values}
    for k in REDIS_KEYS:
        if getattr(args, k, None) is not None:
            redis[k] = Setting(getattr(args, k), f"flag --{k.replace('_', '-')}")
    network = {
        field: Setting(given, f"flag --{field.replace('_', '-')}")
        if (given := getattr(args, field, None)) is not None
        else values.get(field)
        for field in ("proxy", "ca_bundle")
    }
    return Settings(
        values["base_url"],
        key,
        values["timeout"],
        values["max_retries"],
        name,
        path,
        **network,
        redis=redis,
    )


def _profile(path: Path, wanted: str | None, err: TextIO) -> tuple[str | None, dict[str, Any]]:
    """The chosen profile's table, checked; ``(None, {})`` when none applies."""
    chosen = wanted or os.environ.get(PROFILE_ENV_VAR) or None
    tables = _read(path, err, required=chosen is not None)
    if chosen is None:
        chosen = "default" if "default" in tables else None
    if chosen is None:
        return None, {}
    if chosen not in tables:
        raise CLIError(
            f"no profile {chosen!r} in {path}{_did_you_mean(chosen, tables)}; "
            f"profiles: {', '.join(tables) or 'none'}",
            USAGE,
        )
    return chosen, _checked_profile(chosen, tables[chosen], path)


def _read(path: Path, err: TextIO, *, required: bool) -> dict[str, Any]:
    if not path.exists():
        if required:
            raise CLIError(f"no config file at {path} (profiles live there)", USAGE)
        return {}
    try:
        tables = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise CLIError(f"cannot read {path}: {error}", USAGE) from None
    if "api_key" in tables or any(
        "api_key" in table for table in tables.values() if isinstance(table, dict)
    ):
        _warn_if_readable(path, err)
    for name, table in tables.items():
        if not isinstance(table, dict):  # a key above every [table]: it would apply to none
            raise CLIError(
                f"{path} has the key {name!r} outside any profile; keys belong under a "
                "profile's table, such as [default]",
                USAGE,
            )
    return tables


def _checked_profile(name: str, table: Mapping[str, Any], path: Path) -> dict[str, Any]:
    for key in table:
        if key not in PROFILE_KEYS + REDIS_KEYS:
            keys = PROFILE_KEYS + REDIS_KEYS
            raise CLIError(
                f"profile {name} in {path} has an unknown key {key!r}"
                f"{_did_you_mean(key, keys)}; keys: {', '.join(keys)}",
                USAGE,
            )
    if "api_key" in table and "api_key_file" in table:
        raise CLIError(f"profile {name} in {path} has both api_key and api_key_file", USAGE)
    for key, value in table.items():
        check = VALUE_CHECKS.get(key)
        try:
            if check is not None:
                check(key, value)
        except PackageXError as error:  # its message never holds the key
            problem = str(error)
        else:
            continue
        raise CLIError(f"profile {name} in {path}: {problem}", USAGE)
    return dict(table)


def _check_key(name: str, value: Any) -> None:
    resolve_api_key(value)


VALUE_CHECKS: dict[str, Callable[[str, Any], object]] = {
    "base_url": lambda name, value: check_base_url(value),
    "api_key": _check_key,
    "api_key_file": check_text,
    "timeout": check_seconds,
    "max_retries": lambda name, value: check_int(name, value, minimum=0),
    "proxy": check_text,
    "ca_bundle": check_text,
    "redis_url": check_text,
    "redis_namespace": check_text,
}
"""A profile's values, checked as ``PackageX()`` checks them, so an error names the file."""


def _key_from_env() -> Setting | None:
    key = os.environ.get(API_KEY_ENV_VAR)
    return Setting(key, f"env {API_KEY_ENV_VAR}") if key else None


def _key_from_profile(profile: Mapping[str, Any], where: str) -> Setting | None:
    if "api_key" in profile:
        return Setting(profile["api_key"], where)
    if "api_key_file" in profile:
        file = os.path.expanduser(profile["api_key_file"])
        return Setting(read_key_file(file), f"{where}: api_key_file")
    return None


def _key_from_flags(args: argparse.Namespace, err: TextIO) -> Setting | None:
    if getattr(args, "api_key", None) is not None:
        err.write(
            "packagex: warning: --api-key is visible to other users in the process list; "
            f"prefer {API_KEY_ENV_VAR}, --api-key-file or a profile\n"
        )
        return Setting(str(args.api_key), "flag --api-key")
    if getattr(args, "api_key_file", None) is not None:
        return Setting(read_key_file(args.api_key_file), f"flag --api-key-file {args.api_key_file}")
    return None


def read_key_file(path: str) -> str:
    """The key file's content without surrounding whitespace; ``-`` reads stdin."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise CLIError(f"cannot read the API key file {path}: {reason}", AUTH) from None
    key = text.strip()
    if not key:
        raise CLIError(f"the API key file {path} is empty", AUTH)
    return key


def _warn_if_readable(path: Path, err: TextIO) -> None:
    """Like ssh: a key in a file others can read is worth a warning."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        err.write(
            f"packagex: warning: {path} holds an API key and is readable by others; "
            f"run: chmod 600 {path}\n"
        )


def _did_you_mean(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
