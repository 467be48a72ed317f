"""The package's layers, read from its imports with ast: no cycles, and no layer importing one above it.

    data                                   imports nothing above it
    chart, filters, render, lens, words,   import data only
    uploads
    present, curation                      import those
    outputs                                imports those and present
    cli (and views/, app.py)               on top

Imports inside functions count as much as those at the top of a module.
"""
from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "timeline"

TIER = {"data": 0, "chart": 1, "filters": 1, "render": 1, "lens": 1, "words": 1, "uploads": 1,
        "present": 2, "curation": 2, "outputs": 3, "cli": 4, "__main__": 4, "": 4}


def modules() -> dict[str, Path]:
    out = {}
    for path in PKG.rglob("*.py"):
        parts = ("timeline", *path.relative_to(PKG).with_suffix("").parts)
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def imports(path: Path, known: set[str]) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("timeline"):
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in known}
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: relative import; write timeline.… in full")
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("timeline")}
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {m: {d for d in imports(p, known) if d in known and d != m and not m.startswith(d + ".")} for m, p in mods.items()}


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_every_module_has_a_layer():
    assert {layer(m) for m in modules()} <= set(TIER), "add the new module's layer to TIER and to README"


def test_no_layer_imports_one_above_it_or_beside_it():
    wrong = []
    for module, deps in graph().items():
        for dep in deps:
            a, b = layer(module), layer(dep)
            if a != b and (TIER[b] > TIER[a] or TIER[b] == TIER[a] < TIER["cli"]):
                wrong.append(f"{module} -> {dep}")
    assert wrong == []


def test_no_import_cycles():
    edges = graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for d in sorted(edges[m]):
            if state.get(d) == 1:
                cycles.append(" -> ".join(path[path.index(d):] + [d]) if d in path else f"{m} -> {d}")
            elif d not in state:
                visit(d, path + [d])
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            visit(m, [m])
    assert cycles == []


def test_each_subpackage_says_what_its_layer_is():
    for init in PKG.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc.splitlines()) == 1, init


def test_the_checker_sees_a_cycle_and_an_upward_import(tmp_path, monkeypatch):
    pkg = tmp_path / "timeline"
    (pkg / "data").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "data" / "__init__.py").write_text('"""x"""')
    (pkg / "data" / "a.py").write_text("def f():\n    from timeline.data.b import g\n")
    (pkg / "data" / "b.py").write_text("from timeline.data.a import f\nfrom timeline.cli import main\n")
    (pkg / "cli.py").write_text("")
    monkeypatch.setattr(__import__(__name__), "PKG", pkg)
    edges = graph()
    assert "timeline.data.b" in edges["timeline.data.a"] and "timeline.data.a" in edges["timeline.data.b"]
    try:
        test_no_import_cycles()
    except AssertionError as e:
        assert "timeline.data.a -> timeline.data.b" in str(e)
    else:
        raise AssertionError("the cycle was not seen")
    try:
        test_no_layer_imports_one_above_it_or_beside_it()
    except AssertionError as e:
        assert "timeline.data.b -> timeline.cli" in str(e)
    else:
        raise AssertionError("the upward import was not seen")
