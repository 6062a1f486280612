"""House-style guards: import direction, module size, curated public API."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import kg

from .conftest import ROOT

KG_FILES = sorted((ROOT / "kg").rglob("*.py"))
FORBIDDEN_IN_KG = {"fastapi", "starlette", "uvicorn", "pyvis", "api", "visualizations"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("path", KG_FILES, ids=[str(p.relative_to(ROOT)) for p in KG_FILES])
def test_architecture_kg_never_imports_the_web_or_the_views(path: Path) -> None:
    assert not (_imports(path) & FORBIDDEN_IN_KG), f"{path.name} imports {_imports(path) & FORBIDDEN_IN_KG}"


@pytest.mark.parametrize("path", KG_FILES, ids=[str(p.relative_to(ROOT)) for p in KG_FILES])
def test_architecture_modules_stay_small_and_say_what_they_are_for(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 420, f"{path.name} has {len(text.splitlines())} lines"
    if text.strip():
        assert ast.get_docstring(ast.parse(text)), f"{path.name} has no module docstring"


def test_architecture_public_api_is_curated() -> None:
    for name in kg.__all__:
        assert hasattr(kg, name), name
    assert sorted(kg.__all__) == sorted(set(kg.__all__))


def test_architecture_error_tree_has_one_root() -> None:
    from kg import errors
    for name in errors.__all__:
        cls = getattr(errors, name)
        if isinstance(cls, type) and issubclass(cls, Exception):
            assert issubclass(cls, errors.SeikgError), name
