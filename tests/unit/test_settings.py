"""Client settings: checked by the one argument rule, read-only, changed per call."""

from __future__ import annotations

import inspect

import pytest

from packagex_async import PackageX, PackageXTypeError, PackageXValueError
from packagex_async._settings import PER_CALL_OPTIONS

from ..builders import API, KEY


def test_settings_are_read_only_and_say_what_to_use_instead() -> None:
    px = PackageX(KEY, base_url=API, timeout=7)

    with pytest.raises(AttributeError, match=r"read-only.*with_options\(timeout=\.\.\.\)"):
        px.timeout = 1  # type: ignore[misc]

    assert px.timeout == 7.0


def test_with_options_changes_per_call_settings_only() -> None:
    px = PackageX(KEY, base_url=API, timeout=7, rate_limit=5, max_retries=2)

    quick = px.with_options(timeout=1.5, max_retries=0, max_response_bytes=1024)

    assert (quick.timeout, quick.max_retries, quick.max_response_bytes) == (1.5, 0, 1024)
    assert (quick.base_url, quick.rate_limit) == (px.base_url, 5.0)
    assert (px.timeout, px.max_retries) == (7.0, 2)


async def test_with_options_shares_the_pool_and_closing_either_closes_both() -> None:
    px = PackageX(KEY, base_url=API)
    quick = px.with_options(timeout=2)

    assert quick._shared is px._shared
    await quick.close()

    assert px.closed
    assert quick.closed


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"rate_limit": 1}, PackageXTypeError, "cannot change rate_limit: shared by the"),
        ({"base_url": "https://x.example"}, PackageXTypeError, "cannot change base_url"),
        (
            {"timout": 5},
            PackageXTypeError,
            r"^with_options\(\) has no option timout; the options it takes: timeout, "
            r"max_retries, retry_initial_delay, retry_max_delay, max_response_bytes$",
        ),
        ({"timout": None}, PackageXTypeError, "has no option timout"),
        ({"timeout": 0}, PackageXValueError, "timeout must be a finite number of seconds > 0"),
        ({"max_retries": "3"}, PackageXTypeError, "max_retries must be an integer >= 0"),
    ],
)
def test_with_options_checks_its_arguments(
    options: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        PackageX(KEY, base_url=API).with_options(**options)


@pytest.mark.parametrize(
    ("name", "value", "error"),
    [
        ("timeout", "5", TypeError),
        ("timeout", float("inf"), ValueError),
        ("retry_max_delay", float("nan"), ValueError),
        ("max_retries", 1.0, TypeError),
        ("connection_limit", "x", TypeError),
        ("connection_limit", 0, ValueError),
        ("rate_limit", float("inf"), ValueError),
        ("max_response_bytes", 0, ValueError),
    ],
)
def test_one_rule_type_errors_for_types_value_errors_for_values(
    name: str, value: object, error: type[Exception]
) -> None:
    with pytest.raises(error, match=name) as caught:
        PackageX(KEY, base_url=API, **{name: value})  # type: ignore[arg-type]

    assert isinstance(caught.value, (PackageXTypeError, PackageXValueError))


def test_base_url_comes_from_px_base_url_when_not_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PX_BASE_URL", "http://127.0.0.1:8080/")

    assert PackageX(KEY).base_url == "http://127.0.0.1:8080"
    assert PackageX(KEY, base_url=API).base_url == API


def test_without_px_base_url_the_production_api_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PX_BASE_URL", raising=False)

    assert PackageX(KEY).base_url == "https://api.packagex.io"


@pytest.mark.parametrize("base_url", ["https://u:secretpw@api.example.com", "http://10.0.0.1"])
def test_base_url_errors_never_echo_credentials(base_url: str) -> None:
    with pytest.raises(ValueError, match="base_url") as caught:
        PackageX(KEY, base_url=base_url)

    assert "secretpw" not in str(caught.value)


def test_with_options_takes_each_per_call_option_by_name() -> None:
    """The keyword parameters are the per-call options, so a type checker sees a typo."""
    parameters = inspect.signature(PackageX.with_options).parameters
    named = [p.name for p in parameters.values() if p.kind is inspect.Parameter.KEYWORD_ONLY]
    assert named == list(PER_CALL_OPTIONS)


def test_with_options_keeps_what_it_is_not_given() -> None:
    px = PackageX(KEY, base_url=API, timeout=7, max_retries=4)
    quick = px.with_options(timeout=None, max_retries=1)
    assert (quick.timeout, quick.max_retries) == (7, 1)
