"""Store snapshots: the validation marker is keyed on everything that decides conformance."""
from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from kg.errors import SeikgError
from kg.store.snapshot import build_snapshot, validation_key

STRICTER = """
shapes:EveryUnitHasANote a sh:NodeShape ;
    sh:targetClass seikg:Unit ;
    sh:property [ sh:path skos:note ; sh:minCount 1 ;
                  sh:message "every unit needs a note (a stricter shape, for the test)" ] .
"""


def test_issue_13_a_stricter_shapes_file_invalidates_the_validation_marker(tmp_path: Path, ks_settings) -> None:
    ontology = tmp_path / "ontology"
    shutil.copytree(ks_settings.ontology_dir, ontology)
    settings = replace(ks_settings, ontology_dir=ontology, store_dir=tmp_path / "stores")
    snapshot = build_snapshot(settings)
    assert list(Path(snapshot.path).parent.glob("validation-*.json"))
    before = validation_key(settings)
    with (ontology / "shapes.ttl").open("a", encoding="utf-8") as shapes:
        shapes.write(STRICTER)
    assert validation_key(settings) != before
    with pytest.raises(SeikgError, match="does not conform"):
        build_snapshot(settings)  # same data, same snapshot directory: validated again, and it fails now


def test_store_validation_key_follows_the_seed_texts(tmp_path: Path, ks_settings) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(ks_settings.seeds_dir, seeds)
    settings = replace(ks_settings, seeds_dir=seeds)
    before = validation_key(settings)
    seed = next(p for p in seeds.rglob("*") if p.is_file())
    seed.write_text(seed.read_text(encoding="utf-8") + "\nan added line\n", encoding="utf-8")
    assert validation_key(settings) != before
