"""The plain-cattrs reference decoder: every decoder of the SDK is held to it.

cattrs' own ``make_dict_structure_fn`` for each model, one override per field
(wire key, null as the default, required text) built by ``_rules.field_hook``, in a
converter with the rule hooks of ``_codec._converter``: the rules, read by plain
cattrs with nothing generated or accelerated. ``use_reference()`` makes the SDK
decode every answer with it (``tests/conftest.py`` does so when
``PACKAGEX_TEST_DECODER=reference``).
"""

from __future__ import annotations

import os
from typing import Any

import cattrs
from cattrs.gen import make_dict_structure_fn, override

from packagex_async._codec import _rules
from packagex_async._codec._converter import make_converter
from packagex_async._codec._decode import use_reference as _use

__all__ = ["REFERENCE", "REFERENCE_RUN", "TEST_DECODER", "use_reference"]

TEST_DECODER = "PACKAGEX_TEST_DECODER"
"""Set to ``reference`` to run the suites with the reference decoder (CI does once)."""

REFERENCE_RUN = os.environ.get(TEST_DECODER, "") == "reference"


def _cattrs_hook(cls: type[Any], made: cattrs.Converter) -> Any:
    """cattrs' generated function for ``cls``, each field overridden by its rule.

    cattrs reads a required key itself (``o[key]``, a ``KeyError`` when missing); a
    missing required *text* key is checked first, so it fails as the SDK's does.
    """
    rules = _rules.field_rules(cls)
    overrides: dict[str, Any] = {
        rule.name: override(
            rename=rule.key, struct_hook=_rules.field_hook(rule, made.get_structure_hook)
        )
        for rule in rules
    }
    generated = make_dict_structure_fn(cls, made, _cattrs_forbid_extra_keys=False, **overrides)
    texts = [rule.key for rule in rules if rule.text]

    def structure(value: Any, _: Any) -> Any:
        obj = _rules.json_object(value)
        for key in texts:
            if key not in obj:
                _rules.required_text(key, None)
        return generated(obj, cls)

    return structure


REFERENCE = make_converter(_cattrs_hook)
"""A converter with the rules, decoding models with cattrs' own generated functions."""


def use_reference(on: bool = True) -> None:
    """Every answer the SDK reads is decoded by ``REFERENCE``; ``False`` restores this
    run's decoder (the SDK's own, or the reference in a reference run)."""
    _use(REFERENCE if on or REFERENCE_RUN else None)
