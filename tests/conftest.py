"""Shared fixtures: the real graph (built once), the kitchen-sink graph, and the shared/ folder."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg import Settings, build_dataset, load_shapes, union_graph, validate_graph

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
KITCHEN_SINK = TESTS / "data" / "kitchen_sink"
SHARED = ROOT.parent / "shared"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden files from the current output instead of comparing")


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The project's real settings (data/, ontology/, ../shared/seeds when present)."""
    return Settings()


@pytest.fixture(scope="session")
def seeds_dir(settings: Settings) -> Path:
    """The seed texts; tests that need them skip with a message when they are absent."""
    if settings.seeds_dir is None:
        pytest.skip("seed texts not found at ../shared/seeds: anchor checks against them are skipped")
    return settings.seeds_dir


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared with its tools and competency questions."""
    if not (SHARED / "tools" / "cq_check.py").is_file():
        pytest.skip("../shared/tools/cq_check.py not found: competency questions skipped")
    return SHARED


@pytest.fixture(scope="session")
def built(settings: Settings):
    """The real graph built from data/ (read-only: do not mutate)."""
    return build_dataset(settings)


@pytest.fixture(scope="session")
def real_graph(built):
    """The real graph's union of named graphs (read-only)."""
    return union_graph(built.dataset)


@pytest.fixture(scope="session")
def shapes(settings: Settings):
    return load_shapes(settings.ontology_dir)


@pytest.fixture(scope="session")
def real_report(built, shapes, settings: Settings):
    """The validation report of the real graph, computed once per session."""
    return validate_graph(built.dataset, shapes, seeds_dir=settings.seeds_dir)


@pytest.fixture(scope="session")
def ks_settings() -> Settings:
    """Settings pointing at the kitchen-sink data and its one seed text."""
    return Settings(data_dir=KITCHEN_SINK / "data", seeds_dir=KITCHEN_SINK / "seeds")


@pytest.fixture(scope="session")
def ks_built(ks_settings: Settings):
    return build_dataset(ks_settings)


@pytest.fixture(scope="session")
def ks_graph(ks_built):
    return union_graph(ks_built.dataset)


@pytest.fixture
def ks_copy(tmp_path: Path, ks_settings: Settings) -> Settings:
    """A writable copy of the kitchen-sink data, for tests that add or break files."""
    target = tmp_path / "data"
    shutil.copytree(KITCHEN_SINK / "data", target)
    return Settings(data_dir=target, seeds_dir=ks_settings.seeds_dir)
