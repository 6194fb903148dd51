"""The layout is the architecture: stages in folders, dependencies pointing one way, no cycles.

The import graph is read from the source with ``ast`` (every import, including
the ones inside functions), so a test fails on the commit that adds a cycle, an
import of the deployment layer, or a module too long to read.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import steppe

PACKAGE = Path(steppe.__file__).resolve().parent
MAX_LINES = 500

# What each stage may import, besides the shared modules at the package's top level.
# A stage reads what earlier stages produce; nothing reads back from a later one.
STAGES = ("ingest", "analyse", "tables", "gate", "publish")
ALLOWED = {
    "ingest": set(),
    "analyse": {"ingest"},
    "tables": {"ingest", "analyse"},
    "gate": {"tables", "analyse"},
    "publish": {"ingest", "tables", "gate"},  # ingest: the inventory of inputs a release records
}
SHARED = ("ids", "schema", "dates", "text", "languages", "provenance", "datafiles")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """The steppe modules a module imports (resolved to modules, not to the names inside them)."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name and target != "steppe":
                found.add(target)
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def test_the_graph_sees_the_package() -> None:
    assert "steppe.cli" in GRAPH and "steppe.schema" in GRAPH["steppe.tables.arrow"]


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a list of modules, or None (depth-first search)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_find_cycle_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_library_has_no_import_cycle() -> None:
    assert find_cycle(GRAPH) is None, f"import cycle: {' -> '.join(find_cycle(GRAPH))}"


def stage_of(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_imports_only_earlier_stages(stage: str) -> None:
    wrong = sorted(
        f"{name} imports {target}"
        for name, targets in GRAPH.items() if stage_of(name) == stage
        for target in targets
        if stage_of(target) not in (None, stage) and stage_of(target) not in ALLOWED[stage]
        or stage_of(target) is None and target.split(".")[1] not in SHARED
    )
    assert not wrong, "\n".join(wrong)


def test_nothing_in_the_library_imports_the_flows() -> None:
    offenders = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            module = node.module if isinstance(node, ast.ImportFrom) else None
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [module or ""]
            if any(n == "flows" or n.startswith("flows.") for n in names):
                offenders.append(name)
    assert not offenders


def test_the_library_does_not_import_the_development_tools() -> None:
    """Only the command line reaches them, for `steppe bench`."""
    wrong = sorted(
        f"{n} imports {t}" for n, ts in GRAPH.items()
        if not n.startswith("steppe.dev") and n != "steppe.cli" for t in ts if t.startswith("steppe.dev")
    )
    assert not wrong, "\n".join(wrong)


def test_no_module_is_too_long_to_read() -> None:
    long = {name: n for name, path in MODULES.items() if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"
