"""The schema floor mirrors domain/: one package per area, shared machinery in schema/core (issue 9).

Areas may import one another's public modules only along an acyclic graph at import time (references to a later
area go through strawberry.lazy and call-time imports), never one another's private names, and never api/.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "schema"
AREAS = sorted(p.name for p in SCHEMA.iterdir() if (p / "__init__.py").exists() and p.name != "core")


def _modules(area: str) -> list[str]:
    return [f"schema.{area}.{p.stem}" for p in sorted((SCHEMA / area).glob("*.py")) if p.stem != "__init__"]


def _imports(path: Path) -> list[tuple[ast.ImportFrom, bool]]:
    """Every `from schema... import` / `from api... import` of a module, with whether it runs at import time."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top_level = {id(node) for node in tree.body if isinstance(node, ast.ImportFrom)}
    return [(node, id(node) in top_level) for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in ("schema", "api")]


def test_every_domain_area_with_graphql_has_its_schema_package():
    domain_areas = {p.name for p in (ROOT / "domain").iterdir() if (p / "__init__.py").exists()}
    assert set(AREAS) <= domain_areas, "a schema area must carry the name of its domain area"
    assert {"geography", "firms", "bodies", "committees", "deliberation", "complaints", "evaluation",
            "accounts", "audit"} <= set(AREAS)
    assert sorted(p.name for p in SCHEMA.glob("*.py")) == ["__init__.py", "root.py"], "no flat modules left"


@pytest.mark.parametrize("area", AREAS)
def test_an_area_imports_alone_in_a_fresh_interpreter(area):
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    run = subprocess.run([sys.executable, "-c", code, *_modules(area)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]


def test_no_area_reaches_into_another_area_or_into_api():
    found = []
    for path in SCHEMA.rglob("*.py"):
        area = path.relative_to(SCHEMA).parts[0]
        for node, _ in _imports(path):
            parts = node.module.split(".")
            if parts[0] == "api":
                found.append(f"{path.relative_to(ROOT)} imports {node.module} (schema/ must not import api/)")
                continue
            other = parts[1] if len(parts) > 1 else ""
            if other in (area, "core", "root") or area == "root.py":
                continue
            private = [a.name for a in node.names if a.name.startswith("_")] + [p for p in parts if p.startswith("_")]
            if private:
                found.append(f"{path.relative_to(ROOT)} imports private {private} from {node.module}")
    assert found == []


def test_import_time_dependencies_between_areas_form_no_loop():
    graph: dict[str, set[str]] = {area: set() for area in AREAS}
    for area in AREAS:
        for path in (SCHEMA / area).glob("*.py"):
            for node, at_import in _imports(path):
                parts = node.module.split(".")
                if at_import and parts[0] == "schema" and len(parts) > 2 and parts[1] in graph and parts[1] != area:
                    graph[area].add(parts[1])
    assert "core" not in graph and all(dep != "root" for deps in graph.values() for dep in deps)
    done: set[str] = set()

    def visit(area: str, path: tuple[str, ...]) -> None:
        assert area not in path, f"import loop: {' -> '.join((*path, area))}"
        if area not in done:
            for dep in sorted(graph[area]):
                visit(dep, (*path, area))
            done.add(area)

    for area in AREAS:
        visit(area, ())
    # schema/core is shared machinery: it depends on no area.
    for path in (SCHEMA / "core").glob("*.py"):
        assert all(node.module.split(".")[1] == "core" for node, _ in _imports(path)), path
