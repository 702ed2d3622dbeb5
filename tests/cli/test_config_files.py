"""Config files that lie, in a temporary HOME: each mistake is one line naming file and profile.

Every test runs twice: with ``$XDG_CONFIG_HOME`` set, and with only ``$HOME`` (the
file then lives in ``~/.config/packagex/config.toml``).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from packagex_async._cli._config import config_path
from packagex_async.testing import FakePackageX

from .conftest import Result

Cli = Callable[..., Result]


@pytest.fixture(params=["xdg", "home"])
def config_file(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Where the config file is looked for, in a fresh temporary home."""
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    for name in ("PX_PROFILE", "PX_BASE_URL", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    if request.param == "xdg":
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
        path = tmp_path / "xdg" / "packagex" / "config.toml"
    else:
        path = home / ".config" / "packagex" / "config.toml"
    path.parent.mkdir(parents=True)
    return path


def write(path: Path, text: str, mode: int = 0o600) -> None:
    path.write_text(text)
    path.chmod(mode)


def one_line_error(result: Result) -> str:
    lines = result.err.strip().splitlines()
    assert lines, "an error was printed"
    assert lines[-1].startswith("packagex: error: "), result.err
    return lines[-1]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("api_key = true", "api_key must be a string, got bool"),
        ("api_key = 123456789", "api_key must be a string, got int"),
        ('api_key = ""', "api_key is empty or contains whitespace"),
        ('api_key = "px key"', "api_key is empty or contains whitespace"),
        ("base_url = 5", "base_url must be a string, got int"),
        ('base_url = "ftp://x"', "base_url must be an https:// URL"),
        ('timeout = "abc"', "timeout must be a number of seconds, got 'abc'"),
        ("timeout = 0", "timeout must be a finite number of seconds > 0"),
        ("timeout = nan", "timeout must be a finite number of seconds > 0, got nan"),
        ("max_retries = -1", "max_retries must be an integer >= 0, got -1"),
        ("max_retries = 1.5", "max_retries must be an integer >= 0, got 1.5"),
        ("max_retries = true", "max_retries must be an integer >= 0, got True"),
        ("api_key_file = 5", "api_key_file must be a string, got int"),
    ],
)
def test_a_bad_value_names_the_file_and_the_profile(
    cli: Cli, config_file: Path, line: str, message: str
) -> None:
    write(config_file, f"[sandbox]\n{line}\n")

    result = cli("batches", "list", "--profile", "sandbox")

    assert result.code == 2
    prefix = f"packagex: error: profile sandbox in {config_file}: {message}"
    assert one_line_error(result).startswith(prefix)
    assert "123456789" not in result.err, "no key is echoed"
    assert "px key" not in result.err


def test_a_profiles_key_file_is_read_only_when_the_key_comes_from_it(
    cli: Cli, fake: FakePackageX, config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = config_file.parent / "gone.key"
    write(config_file, f'[default]\napi_key_file = "{missing}"\n')
    flag_file = config_file.parent / "flag.key"
    flag_file.write_text(fake.api_key)

    from_env = cli("batches", "list", "--limit", "1")
    shown = cli("config", "show", "--format", "json")
    monkeypatch.delenv("PX_API_KEY")
    from_flag = cli("batches", "list", "--limit", "1", "--api-key-file", str(flag_file))
    from_profile = cli("batches", "list", "--limit", "1")

    assert from_env.code == 0, from_env.err
    assert json.loads(shown.out)["api_key"]["source"] == "env PX_API_KEY"
    assert from_flag.code == 0, from_flag.err
    assert from_profile.code == 3
    assert f"cannot read the API key file {missing}" in one_line_error(from_profile)


@pytest.mark.parametrize("mode", [0o600, 0o644])
def test_a_key_outside_any_profile_is_an_error_and_a_readable_one_is_warned_about(
    cli: Cli, config_file: Path, mode: int
) -> None:
    write(config_file, 'api_key = "pxk_top_level_secret_1"\n[default]\ntimeout = 5\n', mode)

    result = cli("batches", "list")

    assert result.code == 2
    assert one_line_error(result) == (
        f"packagex: error: {config_file} has the key 'api_key' outside any profile; keys "
        "belong under a profile's table, such as [default]"
    )
    assert ("readable by others" in result.err) == (mode == 0o644)
    assert "pxk_top_level_secret_1" not in result.err


@pytest.mark.parametrize(
    "text", ["timeout = 5\n[default]\n", "profile = 'x'\n", "[[default]]\ntimeout = 5\n"]
)
def test_anything_but_profile_tables_at_the_top_is_an_error(
    cli: Cli, config_file: Path, text: str
) -> None:
    write(config_file, text)

    result = cli("config", "show")

    assert result.code == 2
    assert re.search(rf"{re.escape(str(config_file))} has the key '\w+' outside", result.err)


def test_a_good_profile_works_from_either_home(
    cli: Cli, fake: FakePackageX, config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PX_API_KEY")
    key_file = config_file.parent / "local.key"
    key_file.write_text(fake.api_key + "\n")
    write(
        config_file,
        f'[local]\nbase_url = "{fake.url}"\napi_key_file = "{key_file}"\ntimeout = 5\n'
        "max_retries = 0\n",
    )

    result = cli("exports", "list", "--limit", "1", "--profile", "local", base_url=False)
    shown = json.loads(cli("config", "show", "--format", "json", "--profile", "local").out)

    assert result.code == 0, result.err
    assert shown["timeout"]["value"] == "5"
    assert shown["api_key"]["source"] == f"profile local ({config_file}): api_key_file"


def show(cli: Cli, *argv: str) -> dict[str, dict[str, str]]:
    result = cli("config", "show", "--format", "json", *argv)
    assert result.code == 0, result.err
    shown: dict[str, dict[str, str]] = json.loads(result.out)
    return shown


def test_every_setting_names_its_source(
    cli: Cli, fake: FakePackageX, config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(config_file, "[default]\nmax_retries = 1\n[other]\ntimeout = 9\n")
    key_file = config_file.parent / "flag.key"
    key_file.write_text("px_from_file_000000000\n")

    defaults = show(cli)
    flagged = show(cli, "--request-timeout", "7", "--api-key-file", str(key_file))
    monkeypatch.delenv("PX_API_KEY")
    none = show(cli, "--profile", "other")

    assert defaults["timeout"] == {"value": "60.0", "source": "default"}
    assert defaults["max_retries"] == {"value": "1", "source": f"profile default ({config_file})"}
    assert defaults["api_key"]["source"] == "env PX_API_KEY"
    assert flagged["timeout"] == {"value": "7.0", "source": "flag --request-timeout"}
    assert flagged["api_key"]["source"] == f"flag --api-key-file {key_file}"
    assert flagged["api_key"]["value"].endswith("0000")
    assert none["api_key"] == {"value": "-", "source": "not set"}
    assert none["timeout"]["source"] == f"profile other ({config_file})"


def test_the_api_key_flag_works_warns_and_names_itself(cli: Cli, config_file: Path) -> None:
    result = cli("config", "show", "--format", "json", "--api-key", "px_flag_key_0000000001")

    assert result.err == (
        "packagex: warning: --api-key is visible to other users in the process list; "
        "prefer PX_API_KEY, --api-key-file or a profile\n"
    )
    assert json.loads(result.out)["api_key"] == {
        "value": "******************0001",
        "source": "flag --api-key",
    }


@pytest.mark.parametrize(
    ("text", "argv", "message"),
    [
        (None, ["--profile", "x"], "no config file at {path} (profiles live there)"),
        ("", ["--profile", "x"], "no profile 'x' in {path}; profiles: none"),
        ("[a]\n[b]\n", ["--profile", "x"], "no profile 'x' in {path}; profiles: a, b"),
        ('[default]\napi_key = "px_k_000000000001"\napi_key_file = "k"\n', [],
         "profile default in {path} has both api_key and api_key_file"),
        ("[default]\nbase_ur = 1\n", [],
         "profile default in {path} has an unknown key 'base_ur' (did you mean 'base_url'?); "
         "keys: base_url, api_key, api_key_file, timeout, max_retries, proxy, ca_bundle, "
         "redis_url, redis_namespace"),
        ("[default]\ntimeout = 5\nmax_retries = -1\n", [],
         "profile default in {path}: max_retries must be an integer >= 0, got -1"),
    ],
    ids=["no_file", "no_tables", "other_tables", "both_keys", "unknown_key", "second_value"],
)  # fmt: skip
def test_config_mistakes_are_exact_one_line_usage_errors(
    cli: Cli, config_file: Path, text: str | None, argv: list[str], message: str
) -> None:
    if text is not None:
        write(config_file, text)

    result = cli("config", "show", *argv)

    assert result.code == 2
    assert result.err == f"packagex: error: {message.format(path=config_file)}\n"


def test_a_config_file_is_read_as_utf8(
    cli: Cli, config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LC_ALL", "C")
    config_file.write_bytes("[default]\n# Zürich office\ntimeout = 3\n".encode())
    config_file.chmod(0o600)

    assert show(cli)["timeout"]["value"] == "3"


def test_a_key_file_of_dash_is_read_from_stdin_without_blanks(
    cli: Cli, config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("  px_key_from_stdin_0001 \n"))

    shown = show(cli, "--api-key-file", "-")

    assert shown["api_key"] == {
        "value": "******************0001",
        "source": "flag --api-key-file -",
    }


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "cannot read the API key file {path}: No such file or directory"),
        (b"\xff\xfe", "cannot read the API key file {path}: 'utf-8' codec can't decode byte "
                      "0xff in position 0: invalid start byte"),
        (b" \n\t\n", "the API key file {path} is empty"),
        ("dir", "cannot read the API key file {path}: Is a directory"),
    ],
    ids=["missing", "not_utf8", "blank", "a_directory"],
)  # fmt: skip
def test_a_key_file_that_cannot_give_a_key_is_an_auth_error_naming_it(
    cli: Cli, config_file: Path, tmp_path: Path, content: bytes | str | None, reason: str
) -> None:
    path = tmp_path / "the.key"
    if content == "dir":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)

    result = cli("batches", "list", "--api-key-file", str(path))

    assert result.code == 3
    assert result.err == f"packagex: error: {reason.format(path=path)}\n"


def test_a_profile_key_names_its_profile_and_file(
    cli: Cli, config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PX_API_KEY")
    write(config_file, '[default]\napi_key = "px_profile_key_000002"\n')

    assert show(cli)["api_key"] == {
        "value": "*****************0002",
        "source": f"profile default ({config_file})",
    }


def test_the_config_path_follows_the_environment_it_is_given(tmp_path: Path) -> None:
    assert config_path({"XDG_CONFIG_HOME": str(tmp_path)}) == tmp_path / "packagex/config.toml"
    assert config_path({"XDG_CONFIG_HOME": ""}) == Path.home() / ".config/packagex/config.toml"


@pytest.mark.parametrize("key", ["proxy", "ca_bundle", "redis_url", "redis_namespace"])
def test_a_network_or_pacing_key_that_is_not_text_names_its_file_and_profile(
    cli: Cli, config_file: Path, key: str
) -> None:
    write(config_file, f"[default]\n{key} = 5\n")

    result = cli("config", "show")

    assert result.code == 2
    assert result.err.startswith(f"packagex: error: profile default in {config_file}: {key} ")
    assert "string" in result.err
