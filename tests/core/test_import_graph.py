"""The import graph of the project's apps (issue 14, item 3): no circle between apps or between files, and
no import against the layering written in docs/conventions.md.

Every ``import`` statement counts, those inside functions included: a function-level import hides a
dependency from the reader, it does not remove it. The graph is read from the source (``ast``), so a
module that is never imported at test time is checked too.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Each app may import only from the apps of a lower layer; the apps of one layer ignore each other
# (a workflow never imports another workflow).
LAYERS: dict[str, int] = {
    "core": 0,  # the engine: workflow, permissions, storage, uploads, typography, exports, search
    "centres": 1,  # the registry: establishments, CRC SEP, CRMR, CCMR, quotas, dated facts
    "accounts": 2,  # users, roles and their scope in the registry
    "letters": 3,  # official letters: composed by workflows, they know none
    "labellisation": 4,  # the four workflows
    "crmr_procedures": 4,
    "activity_reports": 4,
    "reporting": 5,  # dashboards, alerts, notifications, exports: read every workflow's declaration
    "demo": 6,  # demonstration data, built from everything
    "config": 6,  # settings, URLs, health check: the project's wiring
}


def _modules() -> dict[str, Path]:
    found = {}
    for app in LAYERS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _imported(module: str, path: Path, node, modules) -> list[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            package = module.split(".")
            if path.name != "__init__.py":
                package = package[:-1]
            package = package[: len(package) - node.level + 1]
            base = ".".join(package + ([node.module] if node.module else []))
        else:
            base = node.module or ""
        names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
    resolved = []
    for name in names:
        while name and name not in modules and "." in name:
            name = name.rsplit(".", 1)[0]
        if name in modules and name != module:
            resolved.append(name)
    return resolved


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    edges: dict[str, set[str]] = defaultdict(set)
    for module, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                edges[module].update(_imported(module, path, node, modules))
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    counter = 0
    for start in sorted(set(edges) | {b for bs in edges.values() for b in bs}):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def _app(module: str) -> str:
    return module.split(".")[0]


def test_no_file_imports_a_file_that_imports_it_back():
    assert _cycles(_graph()) == []


def test_no_circle_between_apps():
    apps: dict[str, set[str]] = defaultdict(set)
    for source, targets in _graph().items():
        apps[_app(source)].update(_app(t) for t in targets if _app(t) != _app(source))
    assert _cycles(apps) == []


def test_every_import_between_apps_goes_down_the_layers():
    wrong = sorted(
        f"{source} → {target}"
        for source, targets in _graph().items()
        for target in targets
        if _app(source) != _app(target) and LAYERS[_app(target)] >= LAYERS[_app(source)]
    )
    assert wrong == []


def test_the_cycle_finder_finds_a_circle():
    """The checks above are only as good as the cycle finder: it must see a circle of three."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
