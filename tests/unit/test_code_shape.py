"""The package keeps functions short enough to read at once (the project's style rule)."""

from __future__ import annotations

import ast
from pathlib import Path

import packagex_async

LIMIT = 40
PACKAGE = Path(packagex_async.__file__).parent


def test_no_function_of_the_package_is_over_forty_lines() -> None:
    long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > LIMIT:
                    long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name} ({lines})")
    assert long == []
