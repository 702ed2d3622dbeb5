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


def _imports(path: Path) -> set[str]:
    """The modules ``path`` imports, relative ones as written (``.._codec``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
    return found


def test_the_pipeline_knows_bytes_and_imports_nothing_of_the_codec_or_the_models() -> None:
    wrong = [
        f"{path.name}: {module}"
        for path in sorted((PACKAGE / "_http").glob("*.py"))
        for module in _imports(path)
        if "_codec" in module or module.endswith("models")
    ]
    assert wrong == []


def test_decoding_lives_in_the_codec_only() -> None:
    """cattrs and msgspec, the decoders, are imported by ``_codec`` and nowhere else."""
    outside = [
        f"{path.relative_to(PACKAGE)}: {module}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if "_codec" not in path.parts
        for module in _imports(path)
        if module.split(".")[0] in ("cattrs", "msgspec")
    ]
    assert outside == []
