"""The ``packagex`` command line: batches and exports without writing code.

Presentation only: every command is a thin call into the SDK (or the fake server),
so what the CLI shows is exactly what a script using the SDK would see.
``main`` is the console script's entry point and ``python -m packagex_async``'s.
"""

from ._main import main

__all__ = ["main"]
