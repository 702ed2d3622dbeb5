"""The argument rule (``_params``), at the edges mutation testing found.

Every refusal names the parameter, what was given and what is allowed; zero is
allowed exactly where the docs say; non-ASCII text is fine and only a lone surrogate
is refused. See ``tests/MUTANTS.md`` and ``python -m tools.mutate``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from packagex_async import BatchAction, BatchResource, PackageX

from ..builders import API, KEY, envelope
from ..conftest import MockAPI

LONE = "\ud800"


async def test_the_id_dot_is_refused_before_any_request(px: PackageX, mock_api: MockAPI) -> None:
    with pytest.raises(ValueError, match=re.escape("batch_id '.' is not an id")):
        await px.batches.retrieve(".")
    assert mock_api.sent() == []


async def test_a_non_ascii_id_is_sent_percent_encoded(px: PackageX, mock_api: MockAPI) -> None:
    mock_api.get("/v1/batches/caf%C3%A9", payload=envelope({"id": "café"}))

    batch = await px.batches.retrieve("café")

    assert batch.id == "café"
    assert [url.raw_path for url, _ in mock_api.sent()] == ["/v1/batches/caf%C3%A9"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda px: px.batches.list(status=LONE), "status contains a lone surrogate"),
        (
            lambda px: px.batches.list(extra_query={"q": LONE}),
            "extra_query['q'] contains a lone surrogate",
        ),
        (
            lambda px: px.batches.list(extra_query={1: "x"}),
            "extra_query key must be a string, got int",
        ),
        (
            lambda px: px.batches.list(extra_query={LONE: "x"}),
            "extra_query key contains a lone surrogate",
        ),
    ],
)
async def test_text_refusals_name_the_parameter(px: PackageX, call: object, message: str) -> None:
    with pytest.raises((TypeError, ValueError)) as caught:
        call(px)  # type: ignore[operator]
    assert str(caught.value).startswith(message)


async def test_a_reserved_extra_query_name_lists_the_parameters_comma_separated(
    px: PackageX,
) -> None:
    with pytest.raises(ValueError) as caught:  # noqa: PT011 - the message is asserted
        px.batches.list(extra_query={"page": 2})

    message = str(caught.value)
    assert message.startswith("extra_query cannot set 'page': it is a parameter of its own (")
    names = message.split("(", 1)[1].split(")", 1)[0].split(", ")
    assert "page" in names
    assert "limit" in names
    assert names == sorted(names)
    assert all(re.fullmatch(r"[a-z_]+", name) for name in names)


async def test_an_enum_member_is_named_by_its_value_in_a_refusal(px: PackageX) -> None:
    with pytest.raises(ValueError) as caught:  # noqa: PT011 - the message is asserted
        await px.batches.create(
            resource=BatchResource.SHIPMENT, action=BatchAction.DELETE, data=[{"id": "s"}]
        )
    assert str(caught.value) == (
        "action must be 'merge' for resource 'shipment' (the only action it allows)"
    )


@pytest.mark.parametrize("name", ["retry_initial_delay", "retry_max_delay"])
async def test_zero_seconds_is_allowed_where_documented(name: str) -> None:
    async with PackageX(KEY, base_url=API, **{name: 0}) as px:  # type: ignore[arg-type]
        assert px is not None
    with pytest.raises(
        ValueError, match=re.escape(f"{name} must be a finite number of seconds >= 0, got -1")
    ):
        PackageX(KEY, base_url=API, **{name: -1})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"timeout": 0}, "timeout must be a finite number of seconds > 0, got 0"),
        (
            {"rate_limit": 0},
            "rate_limit must be a finite number of requests per second > 0, got 0",
        ),
    ],
)
def test_zero_is_refused_where_it_means_nothing(options: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        PackageX(KEY, base_url=API, **options)  # type: ignore[arg-type]


async def test_a_callback_that_is_not_callable_is_named_by_type(px: PackageX) -> None:
    with pytest.raises(
        TypeError, match=re.escape("on_progress must be a callable or None, got int")
    ):
        await px.batches.wait("b", on_progress=5)  # type: ignore[arg-type]


async def test_a_download_path_refusal_names_the_path(px: PackageX, tmp_path: Path) -> None:
    url = "https://storage.example/f.json?X-Amz-Signature=0123456789"
    with pytest.raises(ValueError) as is_dir:  # noqa: PT011 - the message is asserted
        await px.files.download(url, tmp_path)
    missing = tmp_path / "nowhere" / "f.json"
    with pytest.raises(ValueError) as no_dir:  # noqa: PT011 - the message is asserted
        await px.files.download(url, missing)

    assert str(is_dir.value) == f"path {str(tmp_path)!r} is a directory; give a file path in it"
    assert str(no_dir.value) == (
        f"path {str(missing)!r}: the directory {str(missing.parent)!r} does not exist"
    )
