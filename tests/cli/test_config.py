"""Profiles, PX_BASE_URL and flags, in that order of precedence; config show; hints."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yarl

from packagex_async.testing import FakePackageX

from ..proxying import ForwardProxy, TLSFront, self_signed
from .conftest import FakeThread, Result

Cli = Callable[..., Result]


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty XDG config home, so no real ~/.config/packagex leaks into a test."""
    home = tmp_path / "xdg"
    (home / "packagex").mkdir(parents=True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.delenv("PX_PROFILE", raising=False)
    monkeypatch.delenv("PX_BASE_URL", raising=False)
    return home / "packagex" / "config.toml"


def write_config(path: Path, text: str, mode: int = 0o600) -> None:
    path.write_text(text)
    path.chmod(mode)


def test_a_profile_supplies_the_url_and_key(
    cli: Cli, fake: FakePackageX, config_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PX_API_KEY")
    write_config(
        config_home,
        f'[local]\nbase_url = "{fake.url}"\napi_key = "{fake.api_key}"\n'
        '[sandbox]\nbase_url = "https://sandbox.example.com"\n',
    )

    by_flag = cli("batches", "list", "--limit", "2", "--profile", "local", base_url=False)
    monkeypatch.setenv("PX_PROFILE", "local")
    by_env = cli("batches", "list", "--limit", "2", base_url=False)

    assert by_flag.code == 0, by_flag.err
    assert by_env.code == 0, by_env.err
    assert by_flag.out == by_env.out
    assert len(by_flag.out.splitlines()) == 3  # header and two batches


def test_environment_beats_the_profile_and_flags_beat_both(
    cli: Cli, fake: FakePackageX, config_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(config_home, '[default]\nbase_url = "http://127.0.0.1:9"\ntimeout = 5\n')
    monkeypatch.setenv("PX_BASE_URL", "http://127.0.0.1:8")

    shown = cli("config", "show", "--format", "json", base_url=False)
    flagged = cli("config", "show", "--format", "json", "--base-url", fake.url, base_url=False)

    settings = json.loads(shown.out)
    assert settings["profile"]["value"] == "default"
    assert settings["base_url"] == {"value": "http://127.0.0.1:8", "source": "env PX_BASE_URL"}
    assert settings["timeout"]["value"] == "5"
    assert settings["timeout"]["source"].startswith("profile default (")
    assert json.loads(flagged.out)["base_url"] == {"value": fake.url, "source": "flag --base-url"}


def test_config_show_masks_the_key_and_names_its_source(
    cli: Cli, fake: FakePackageX, config_home: Path
) -> None:
    result = cli("config", "show", base_url=False)

    assert result.code == 0
    assert fake.api_key not in result.out
    line = next(line for line in result.out.splitlines() if line.startswith("api_key"))
    assert fake.api_key[-4:] in line
    assert "(env PX_API_KEY)" in line


def test_a_key_file_in_a_profile(
    cli: Cli, fake: FakePackageX, config_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PX_API_KEY")
    key_file = config_home.parent / "key"
    key_file.write_text(fake.api_key + "\n")
    write_config(config_home, f'[default]\nbase_url = "{fake.url}"\napi_key_file = "{key_file}"\n')

    assert cli("exports", "list", "--limit", "1", base_url=False).code == 0


@pytest.mark.parametrize(
    ("config", "argv", "message"),
    [
        ("[sandbox]\n", ["--profile", "sandbx"], r"no profile 'sandbx' in .* \(did you mean"),
        ('[default]\nbase_ulr = "x"\n', [], "unknown key 'base_ulr' \\(did you mean 'base_url'"),
        ("[default\n", [], "cannot read .*config.toml"),
    ],
)  # fmt: skip
def test_config_mistakes_are_one_line_usage_errors(
    cli: Cli, config_home: Path, config: str, argv: list[str], message: str
) -> None:
    write_config(config_home, config)

    result = cli("batches", "list", *argv)

    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1
    assert re.search(message, result.err)


def test_a_key_in_a_file_others_can_read_is_warned_about(
    cli: Cli, fake: FakePackageX, config_home: Path
) -> None:
    write_config(config_home, f'[default]\napi_key = "{fake.api_key}"\n', mode=0o644)

    result = cli("config", "show")

    assert "readable by others" in result.err
    assert f"chmod 600 {config_home}" in result.err


def test_global_options_work_between_the_group_and_the_action(
    cli: Cli, fake: FakePackageX, config_home: Path
) -> None:
    result = cli("batches", "--base-url", fake.url, "--format", "json", "get", "x", base_url=False)

    assert result.code == 4  # reached the fake: the batch does not exist
    assert "404" in result.err


def test_a_rejected_key_names_where_it_came_from_and_no_resume_hint(
    cli: Cli, fake: FakePackageX, config_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PX_API_KEY", "px_wrong_key_0000000000")

    result = cli("batches", "list")

    assert result.code == 3
    assert "(the API key came from env PX_API_KEY)" in result.err
    assert "--page" not in result.err


def test_a_refused_connection_names_the_base_url_and_its_source(
    cli: Cli, config_home: Path
) -> None:
    result = cli("batches", "list", "--base-url", "http://127.0.0.1:9", base_url=False)

    assert result.code == 1
    assert "is http://127.0.0.1:9 right? it came from flag --base-url" in result.err


@pytest.fixture
def tls_proxy(served: FakeThread, tmp_path: Path) -> Iterator[tuple[str, ForwardProxy, Path]]:
    """The fake behind a TLS front named api.packagex.test, which only the proxy resolves.

    Both run on the fake's loop (the CLI runs its own); yields the base URL, the proxy
    and the CA file that trusts the front.
    """
    pytest.importorskip("cryptography")
    server, ca_file = self_signed(tmp_path, "api.packagex.test")
    front = TLSFront(server, yarl.URL(served.fake.url).port or 0)
    proxy = ForwardProxy(hosts={"api.packagex.test": "127.0.0.1"})
    served._run(front.__aenter__())
    served._run(proxy.__aenter__())
    yield f"https://api.packagex.test:{front.port}", proxy, ca_file
    served._run(proxy.__aexit__(None, None, None))
    served._run(front.__aexit__(None, None, None))


def test_proxy_and_ca_bundle_flags_reach_the_api_through_a_tunnel(
    cli: Cli,
    config_home: Path,
    tls_proxy: tuple[str, ForwardProxy, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    base_url, proxy, ca_file = tls_proxy
    direct = cli("batches", "list", "--limit", "1")
    flags = ("--base-url", base_url, "--proxy", proxy.url, "--ca-bundle", str(ca_file))
    proxied = cli("batches", "list", "--limit", "1", *flags, base_url=False)
    untrusted = cli("batches", "list", "--limit", "1", *flags[:4], base_url=False)

    assert direct.code == proxied.code == 0, proxied.err
    assert proxied.out == direct.out
    assert proxy.tunnels == [base_url.removeprefix("https://")] * 2
    assert untrusted.code != 0
    assert "certificate" in untrusted.err.lower()


def test_proxy_and_ca_bundle_come_from_a_profile_and_show_without_credentials(
    cli: Cli, config_home: Path
) -> None:
    bundle = config_home.parent / "corporate-ca.pem"
    write_config(
        config_home,
        f'[default]\nproxy = "http://alice:pr0xy-pw-77@proxy.corp:3128"\nca_bundle = "{bundle}"\n',
    )

    shown = json.loads(cli("config", "show", "--format", "json").out)
    flagged = json.loads(cli("config", "show", "--format", "json", "--proxy", "http://p:1").out)
    missing = cli("batches", "list")

    assert shown["proxy"]["value"] == "http://[redacted]@proxy.corp:3128"
    assert shown["proxy"]["source"].startswith("profile default (")
    assert shown["ca_bundle"]["value"] == str(bundle)
    assert flagged["proxy"] == {"value": "http://p:1", "source": "flag --proxy"}
    assert missing.code == 2
    assert f"cannot use the CA bundle {bundle} (from profile default" in missing.err
    assert "pr0xy-pw-77" not in missing.err
