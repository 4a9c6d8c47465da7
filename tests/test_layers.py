"""The layout shows the architecture: each layer imports only from layers below it (or from
itself), and no module imports another that imports it back: at the top of a module, inside a
function, or for type hints only (under TYPE_CHECKING), every import counts."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "planner"
# lowest first; top-level modules (errors, the package itself) sit beneath every layer
LAYERS = ("domain", "io", "rules", "solve", "consult", "report", "store", "web", "cli")


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) > 2 and parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    return -1


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(module imported, at module level) for every import of planner modules, those for type
    hints included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module(path)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    out: list[tuple[str, bool]] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                out.extend((a.name, top) for a in child.names if a.name.startswith("planner"))
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - child.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                if base.startswith("planner"):
                    for a in child.names:
                        full = f"{base}.{a.name}"
                        out.append((full if (PACKAGE.parent / full.replace(".", "/")).with_suffix(
                            ".py").exists() else base, top))
            inner = top and not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            visit(child, inner)

    visit(tree, True)
    return out


def _graph() -> dict[str, list[tuple[str, bool]]]:
    return {_module(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_no_upward_import() -> None:
    upward = [f"{m} imports {target}" for m, targets in _graph().items()
              for target, _top in targets if _layer(target) > _layer(m) >= 0
              or (_layer(m) == -1 and _layer(target) >= 0 and m != "planner")]
    assert upward == []


def test_no_import_cycle() -> None:
    graph = {m: sorted({t for t, _top in targets if t != m})
             for m, targets in _graph().items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def walk(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt):], nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                walk(nxt, [*path, nxt])
        state[node] = 2

    for m in sorted(graph):
        if m not in state:
            walk(m, [m])
    assert cycles == []


@pytest.mark.parametrize("layer", LAYERS[:-2])
def test_layers_exist(layer: str) -> None:
    assert (PACKAGE / layer / "__init__.py").exists()


def test_commands_are_thin() -> None:
    """A command parses its options, calls one service and hands the result to a renderer
    (planner.report.render): no command builds tables or JSON itself."""
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        if path.name == "common.py":
            continue
        text = path.read_text(encoding="utf-8")
        for banned in ("import pandas", "_emit_json", "table_text", "DataFrame", "json.dumps"):
            assert banned not in text, (path.name, banned)
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and any(
                    "command" in ast.unparse(d) for d in node.decorator_list):
                body = [n for n in node.body if not (isinstance(n, ast.Expr)
                                                     and isinstance(n.value, ast.Constant))]
                assert len(body) <= 25, (path.name, node.name, len(body))
