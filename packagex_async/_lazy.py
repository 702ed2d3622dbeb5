"""Public names of a package imported from their modules on first use (PEP 562).

``packagex --help`` and every TAB of shell completion import ``packagex_async._cli``,
which runs ``packagex_async/__init__.py`` (and ``_http/__init__.py`` for the text
helpers it needs) first. Eager re-exports there would load aiohttp and the client
(about 0.25 s) on every keystroke; with ``lazy_exports`` they load when a name is
first used. A package defines its ``__getattr__`` from here only outside
``TYPE_CHECKING``, where it imports the same names directly: type checkers see real
imports, and no catch-all ``__getattr__`` that would type every misspelling as Any.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, homes: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``: ``homes`` maps a name to its module."""

    def __getattr__(name: str) -> Any:
        try:
            module = homes[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(module, package), name)
        vars(sys.modules[package])[name] = value  # later lookups are plain attributes
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *homes})

    return __getattr__, __dir__
