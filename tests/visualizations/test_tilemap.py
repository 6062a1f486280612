"""The tile map: its layout covers exactly the provinces of the graph, and it draws what the analysis says."""
from __future__ import annotations

import pytest

from kg.analyses import run_analyses
from kg.analyses.region_measures import select_measure
from kg.projection import project_graph
from visualizations.tilemap import PALETTE, TILES, draw_tile_map


@pytest.fixture(scope="module")
def measures(built):
    return run_analyses(project_graph(built.dataset, version="real")).region_measures


def test_issue_15_every_province_of_the_graph_has_one_tile_and_no_tile_is_shared(measures) -> None:
    provinces = {p.region.iri.rsplit("/", 1)[-1] for p in measures.places if p.level == "province"}
    assert set(TILES) == provinces
    assert len(set(TILES.values())) == len(TILES)


def test_issue_15_tiles_are_shaded_by_the_chosen_level_and_open_the_right_page(measures) -> None:
    drawing = draw_tile_map(select_measure(measures, "pilot-cities", "province"))
    tiles = {t.region_id: t for t in drawing.tiles}
    assert tiles["zhejiang"].href_id == "zhejiang" and tiles["zhejiang"].value == 1
    assert tiles["zhejiang"].fill != tiles["hunan"].fill and tiles["hunan"].value == 0
    assert tiles["xinjiang"].short == "Xinjiang" and tiles["xinjiang"].short_zh == "新疆"
    macro = draw_tile_map(select_measure(measures, "own-problems", "macro-region"))
    tiles = {t.region_id: t for t in macro.tiles}
    assert tiles["hunan"].href_id == "central-region" and tiles["hunan"].value == 7
    assert tiles["hunan"].fill == tiles["shaanxi"].fill != tiles["zhejiang"].fill
    assert all(b.colour in PALETTE for b in macro.bins) and len(macro.outlines) == 4
