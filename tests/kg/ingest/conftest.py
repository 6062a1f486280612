"""A writable copy of the real data, and the example text."""
from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from kg.config import Settings

from tests.conftest import ROOT

EXAMPLE = ROOT / "tests" / "data" / "ingest" / "example-note.md"


@pytest.fixture
def data_copy(tmp_path: Path, settings: Settings) -> Settings:
    """The real data in a temporary folder (with the real seeds), for tests that write into data/."""
    if settings.seeds_dir is None or not Path(settings.seeds_dir).is_dir():
        pytest.skip("the seed texts (../shared/seeds) are not available")
    target = tmp_path / "data"
    shutil.copytree(settings.data_dir, target)
    return replace(settings, data_dir=target)
