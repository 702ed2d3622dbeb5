"""What leaves the SDK about a request (``_http._redact``), at the edges mutation testing found.

``where`` keeps scheme, host, port and path and nothing else; the redactor replaces
every secret it knows (the shortest ones too, the longest first), learns a presigned
URL's query even when the URL does not parse, and names an exception by its type
when its text is empty. See ``tests/MUTANTS.md`` and ``python -m tools.mutate``.
"""

from __future__ import annotations

import pytest

from packagex_async._http._redact import MASK, Redactor, SecretURL, shown_url, where
from packagex_async.models import Batch


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "https://files.example:8443/b/f.csv?X-Amz-Signature=abc#part",
            "https://files.example:8443/b/f.csv",
        ),
        ("https://files.example/b/f.csv?sig=abc", "https://files.example/b/f.csv"),
        ("http://user:pw@files.example/f", "http://files.example/f"),
        ("HTTPS://Files.Example/Path", "https://files.example/Path"),
    ],
)
def test_where_is_scheme_host_port_and_path(url: str, shown: str) -> None:
    assert where(url) == shown


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "https://s3.example/b/f.json?X-Amz-Signature=abc",
            "https://s3.example/b/f.json?[redacted]",
        ),
        ("https://s3.example/b/f.json?", "https://s3.example/b/f.json?[redacted]"),
        ("https://s3.example/b/f.json", "https://s3.example/b/f.json"),
    ],
    ids=["signed", "empty_query", "no_query"],
)
def test_a_models_repr_shows_its_url_without_the_signature(url: str, shown: str) -> None:
    """The query is masked, not dropped: a reader sees that the URL is signed."""
    batch = Batch(id="batch_1", result_json_url=url)

    assert shown_url(url) == shown
    assert f"result_json_url={shown!r}" in repr(batch)
    assert batch.result_json_url == url


def test_a_secret_url_is_the_url_itself_but_its_repr_masks_the_query() -> None:
    """What the SDK's frames hold while a file is fetched: error trackers record reprs."""
    url = SecretURL("https://s3.example/b/f.json?X-Amz-Signature=abc")

    assert url == "https://s3.example/b/f.json?X-Amz-Signature=abc"
    assert repr(url) == "'https://s3.example/b/f.json?[redacted]'"
    assert repr({"url": url}) == "{'url': 'https://s3.example/b/f.json?[redacted]'}"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",  # no host
        "//files.example/f",  # no scheme
        "/v1/batches",  # a relative redirect target
        "http://[::1/f",  # not parseable
        "https://files.example:99999/f",  # a port out of range
        "",
    ],
)
def test_where_says_so_when_a_url_cannot_be_shown(url: str) -> None:
    assert where(url) == "(an unreadable URL)"


def test_a_secret_of_six_characters_is_replaced_and_a_shorter_one_is_not() -> None:
    redactor = Redactor(["abc123", "ab12"])
    assert redactor.text("key abc123 and ab12") == f"key {MASK} and ab12"


def test_a_secret_inside_a_longer_one_does_not_leave_the_rest_showing() -> None:
    redactor = Redactor(["secret-1", "my-secret-1-x"])
    assert redactor.text("echo my-secret-1-x and secret-1") == f"echo {MASK} and {MASK}"


def test_a_presigned_url_teaches_its_query_and_each_value() -> None:
    url = "https://s.example/f.json?X-Amz-Signature=sig0123456&opaque=tok-value-9"
    redactor = Redactor(["px_key_12345"]).with_url(url)

    echoed = "denied: tok-value-9 / sig0123456 / px_key_12345"
    assert redactor.text(echoed) == f"denied: {MASK} / {MASK} / {MASK}"


def test_the_query_of_a_url_that_does_not_parse_is_still_learnt() -> None:
    redactor = Redactor().with_url("https://[bad/f.json?a=v4lue-one?b=v4lue-two")

    text = redactor.text("query a=v4lue-one?b=v4lue-two, value v4lue-one?b=v4lue-two")
    assert "v4lue" not in text
    assert text == f"query {MASK}, value {MASK}"


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (TimeoutError(), "TimeoutError"),
        (ConnectionResetError("peer reset"), "ConnectionResetError: peer reset"),
        (ValueError("GET https://h/p?token=abcdef"), f"ValueError: GET https://h/p?{MASK}"),
    ],
)
def test_an_exception_in_words_is_its_type_and_its_redacted_text(
    exc: BaseException, words: str
) -> None:
    assert Redactor().exception(exc) == words


# The patterns themselves are module constants, which mutmut does not mutate: each
# credential name they know is pinned here by hand instead.
CREDENTIAL_NAMES = [
    "signature",
    "sig",
    "credential",
    "security-token",
    "token",
    "secret",
    "password",
    "passwd",
    "api-key",
    "api_key",
    "apikey",
    "access-key",
    "access_key",
    "accesskey",
    "key-pair-id",
    "policy",
    "px-api-key",
    "X-Amz-Signature",
    "X-Amz-Credential",
    "X-Amz-Security-Token",
    "x-goog-signature",
    "x-px-token",
]


@pytest.mark.parametrize("name", CREDENTIAL_NAMES)
@pytest.mark.parametrize("spelling", ["{}=v4lue", "{}: v4lue", '"{}": "v4lue"', "{}='v4lue'"])
def test_each_credential_name_loses_its_value(name: str, spelling: str) -> None:
    text = Redactor().text("sent " + spelling.format(name) + " back")
    assert "v4lue" not in text
    assert MASK in text


@pytest.mark.parametrize("name", ["page", "limit", "status", "keyboard", "tokens_left"])
def test_other_parameters_keep_their_values(name: str) -> None:
    assert Redactor().text(f"{name}=v4lue") == f"{name}=v4lue"
