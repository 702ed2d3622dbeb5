"""The decoding rulebook (``_rules``), at the edges mutation testing found.

Shape errors say what they got; a class with postponed annotations gets its real
types; a required field that is not text goes to its type's hook. See
``tests/MUTANTS.md`` and ``python -m tools.mutate``.
"""

from __future__ import annotations

import re

import attrs
import pytest

from packagex_async._codec import _rules
from packagex_async._codec._converter import converter
from packagex_async.models import Pagination


@pytest.mark.parametrize(
    ("wire", "error", "message"),
    [
        (True, TypeError, "expected epoch seconds or an ISO 8601 string, got True"),
        ([1], TypeError, "expected epoch seconds or an ISO 8601 string, got [1]"),
        (1e20, ValueError, "timestamp out of range: 1e+17"),  # the C library's OSError
    ],
)
def test_a_timestamp_shape_error_says_what_it_got(
    wire: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        _rules.timestamp(wire)


def test_field_rules_resolve_postponed_annotations() -> None:
    # Made here, not at import: a class resolved once stays resolved in the process.
    @attrs.frozen
    class Fresh:
        count: int
        name: str
        note: str | None = None

    assert attrs.fields(Fresh).count.type == "int", "postponed: still a string"
    rules = {rule.name: rule for rule in _rules.field_rules(Fresh)}

    assert rules["count"].type is int
    assert (rules["name"].required, rules["name"].text) == (True, True)
    assert (rules["count"].required, rules["count"].text) == (True, False)
    assert (rules["note"].type, rules["note"].required) == (str, False)


def test_a_required_field_that_is_not_text_goes_to_its_type_s_hook() -> None:
    page = _rules.field_rules(Pagination)[0]
    hook = _rules.field_hook(page, converter.get_structure_hook)

    assert page.required
    assert hook(3, None) == 3
