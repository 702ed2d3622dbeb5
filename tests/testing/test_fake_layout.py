"""The fake is organised by resource and its modules import each other without a circle."""

from __future__ import annotations

import ast
from pathlib import Path

import packagex_async.testing
from packagex_async.testing import ROUTES, FakePackageX
from packagex_async.testing._registry import FAKE_RESOURCES, LIST_ROUTES

PACKAGE = Path(packagex_async.testing.__file__).parent


def _imports(path: Path) -> set[str]:
    """The sibling modules ``path`` imports when it runs (not for type checking only)."""
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            found.add(node.module.split(".")[0])
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import circle of ``graph``, or ``[]``."""
    state: dict[str, int] = {}
    trail: list[str] = []

    def visit(name: str) -> list[str]:
        state[name] = 1
        trail.append(name)
        for target in sorted(graph.get(name, ())):
            if state.get(target) == 1:
                return [*trail[trail.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        trail.pop()
        state[name] = 2
        return []

    for name in sorted(graph):
        if name not in state and (found := visit(name)):
            return found
    return []


def test_no_two_modules_of_the_fake_import_each_other_in_a_circle() -> None:
    graph = {path.stem: _imports(path) for path in PACKAGE.glob("*.py")}

    assert _cycle(graph) == []
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]  # it can fail


def test_routes_come_from_the_registry_once() -> None:
    names = [resource.name for resource in FAKE_RESOURCES]

    assert tuple(f"list_{name}" for name in names) == LIST_ROUTES
    assert set(LIST_ROUTES) < set(ROUTES)
    assert len(set(ROUTES)) == len(ROUTES) == 3 * len(names) + 1
    sources = [p.name for p in PACKAGE.glob("*.py") if "LIST_ROUTES = " in p.read_text()]
    assert sources == ["_registry.py"]


async def test_every_registered_resource_is_seeded_served_and_addable() -> None:
    async with FakePackageX(seeded=dict.fromkeys((r.name for r in FAKE_RESOURCES), 2)) as fake:
        for resource in FAKE_RESOURCES:
            assert len(fake.items(resource.name)) == 2
            added = fake.add(resource.name, status="queued", final_status="completed")
            assert fake.item(resource.name, added["id"]) is not None
            assert fake.created(resource.name) == []
