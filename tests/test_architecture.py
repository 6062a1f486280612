"""House-style guards: import direction, module size, curated public API."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import kg

from tests.conftest import ROOT

KG_FILES = sorted((ROOT / "kg").rglob("*.py"))
VIS_FILES = sorted((ROOT / "visualizations").rglob("*.py"))
API_FILES = sorted((ROOT / "api").rglob("*.py"))
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


@pytest.mark.parametrize("path", VIS_FILES, ids=[str(p.relative_to(ROOT)) for p in VIS_FILES])
def test_architecture_visualizations_never_import_the_web_app(path: Path) -> None:
    assert not (_imports(path) & {"api", "fastapi", "starlette", "uvicorn"}), path.name


@pytest.mark.parametrize("path", KG_FILES + API_FILES + VIS_FILES,
                         ids=[str(p.relative_to(ROOT)) for p in KG_FILES + API_FILES + VIS_FILES])
def test_architecture_modules_stay_small_and_say_what_they_are_for(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 420, f"{path.name} has {len(text.splitlines())} lines"
    if text.strip():
        assert ast.get_docstring(ast.parse(text)), f"{path.name} has no module docstring"


@pytest.mark.parametrize("path", KG_FILES, ids=[str(p.relative_to(ROOT)) for p in KG_FILES])
def test_architecture_project_is_the_only_bridge_from_rdf_to_networkx(path: Path) -> None:
    imports = _imports(path)
    if "networkx" in imports and path.name != "projection.py":
        assert not imports & {"rdflib", "pyoxigraph"}, f"{path.name} builds NetworkX graphs from RDF; use kg.projection"


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


ROUTE_FILES = sorted((ROOT / "api" / "routes").glob("*.py"))


@pytest.mark.parametrize("path", ROUTE_FILES, ids=[p.name for p in ROUTE_FILES])
def test_architecture_routes_hold_no_sparql_and_walk_no_graphs(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value.upper()
            assert not ("SELECT " in text and "WHERE" in text), f"SPARQL text in {path.name}"
        if isinstance(node, ast.Attribute):
            assert node.attr not in ("triples", "subjects", "objects", "predicate_objects", "quads"), \
                f"{path.name} walks a graph (.{node.attr}); call kg instead"
    assert not _imports(path) & {"rdflib", "pyoxigraph", "networkx"}, f"{path.name} imports an RDF engine"


def test_architecture_app_is_built_by_a_factory_with_no_module_state() -> None:
    import api.app
    assert callable(api.app.create_app)
    tree = ast.parse((ROOT / "api" / "app.py").read_text(encoding="utf-8"))
    for node in tree.body:
        assert not isinstance(node, ast.Assign) or all(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets), "module-level state in api/app.py"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _module_level_imports(path: Path, *, anywhere: bool = False) -> set[str]:
    """The seikg modules that ``path`` imports when it is imported (with ``anywhere``, inside functions too)."""
    name = _module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in (ast.walk(tree) if anywhere else tree.body):
        if isinstance(node, ast.ImportFrom):
            base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else [])) \
                if node.level else (node.module or "")
            subs = [f"{base}.{alias.name}" for alias in node.names]
            modules = [s for s in subs if (ROOT / s.replace(".", "/")).with_suffix(".py").exists()
                       or (ROOT / s.replace(".", "/")).is_dir()]
            found |= set(modules) | ({base} if len(modules) < len(subs) else set())
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {m for m in found if m.split(".")[0] in ("kg", "api", "visualizations")}


def test_issue_13_no_import_cycle_between_seikg_modules() -> None:
    import networkx as nx
    graph = nx.DiGraph()
    for path in KG_FILES + API_FILES + VIS_FILES:
        graph.add_edges_from((_module_name(path), target) for target in _module_level_imports(path))
    cycles = list(nx.simple_cycles(graph))
    assert cycles == [], f"import cycles: {cycles[:3]}"


def test_issue_13_the_model_is_the_bottom_layer() -> None:
    for path in sorted((ROOT / "kg" / "model").glob("*.py")):
        assert _module_level_imports(path) <= {"kg.errors"}, f"{path.name} imports {_module_level_imports(path)}"


def test_issue_13_the_analyses_know_no_urls() -> None:
    for path in sorted((ROOT / "kg" / "analyses").glob("*.py")):
        assert '"/api' not in path.read_text(encoding="utf-8") and "'/api" not in path.read_text(encoding="utf-8"), \
            path.name


#: the import contract: a module may import its own layer and the layers below it, never one above
LAYERS = (
    ("model", ("kg.errors", "kg.config", "kg.model")),
    ("sparql", ("kg.sparql",)),
    ("build", ("kg.build",)),
    ("checks", ("kg.checks",)),
    ("analyses", ("kg.projection", "kg.analyses")),
    ("store", ("kg.store",)),
    ("runtime", ("kg.runtime",)),
    ("reading", ("kg.reading",)),
    ("cli", ("kg.ingest", "kg.cli", "kg")),
    ("visualizations", ("visualizations",)),
    ("api", ("api",)),
)


def _layer(module: str) -> int:
    best, rank = "", -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best):
                best, rank = prefix, index
    assert rank >= 0, f"{module} is in no layer of the import contract"
    return rank


def test_issue_13_layers_run_one_way() -> None:
    """model -> sparql -> build -> checks -> analyses -> store -> runtime -> reading -> cli -> visualizations
    -> api: every import, also one inside a function, goes to the module's own layer or one below it."""
    upward = []
    for path in KG_FILES + API_FILES + VIS_FILES:
        module = _module_name(path)
        for target in _module_level_imports(path, anywhere=True):
            if _layer(target) > _layer(module):
                upward.append(f"{module} ({LAYERS[_layer(module)][0]}) imports {target} "
                              f"({LAYERS[_layer(target)][0]})")
    assert upward == [], "\n".join(upward)
