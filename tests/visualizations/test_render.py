"""Rendering: offline, escaped, parallel edges kept, and the same data as the JSON twin."""
from __future__ import annotations

import json
import re

import pytest

from kg.analyses import find_region_gaps
from kg.projection import project_file
from visualizations import render_view
from visualizations.views import build_ego, build_overview, build_region_gaps

from tests.conftest import TESTS
from tests.kg.analyses.conftest import iri

BASE = "https://w3id.org/seikg/"
HOSTILE = TESTS / "data" / "hostile" / "hostile.ttl"
PAYLOADS = [line.replace("\\u2028", "\u2028") for line in
            (TESTS / "data" / "hostile" / "payloads.txt").read_text(encoding="utf-8").splitlines()]
SCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)
OUTSIDE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def hostile():
    return project_file(HOSTILE, version="hostile")


def _views(projections):
    yield build_overview(projections, BASE, scores={})
    for node in projections.entity:
        yield build_ego(projections, node, BASE, depth=2, scores={})
    for region in projections.nodes_of("region"):
        yield build_region_gaps(projections, find_region_gaps(projections, region, centrality={}), BASE)


def _data(html: str) -> dict:
    (text,) = re.findall(r'<script type="application/json" id="view-data">(.*?)</script>', html, re.S)
    return json.loads(text)


def test_render_hostile_payloads_never_appear_raw(hostile) -> None:
    assert len(PAYLOADS) >= 10
    for view in _views(hostile):
        for assets in ("app", "inline"):
            html = render_view(view, assets=assets)
            for payload in PAYLOADS:
                if set(payload) & set("<>\"'&"):  # markup: never raw
                    assert payload not in html, f"{view.name}: raw payload {payload!r}"
            assert not SCRIPT_URL.search(html), f"{view.name}: {SCRIPT_URL.search(html)}"
    # and every payload survives as data, unchanged (nothing evaluated, nothing dropped)
    data = _data(render_view(build_overview(hostile, BASE, scores={})))
    texts = "\n".join([n["title"] for n in data["nodes"]] + [e["title"] for e in data["edges"]])
    for payload in PAYLOADS:
        assert payload in texts, payload


def test_render_hostile_scripts_are_only_ours(hostile) -> None:
    html = render_view(build_overview(hostile, BASE, scores={}))
    assert html.count("<script") == 3  # vis-network, the data, and the page's own script
    assert "</script><script>" not in html


def test_render_references_no_outside_asset(toy) -> None:
    for view in _views(toy):
        for assets in ("app", "inline"):
            html = render_view(view, assets=assets)
            assert not OUTSIDE.search(html), OUTSIDE.search(html)
    inline = render_view(build_overview(toy, BASE, scores={}), assets="inline")
    assert "<script src" not in inline and "stylesheet" not in inline  # self-contained


def test_render_keeps_parallel_edges_and_the_view_data(toy) -> None:
    view = build_ego(toy, iri("region", "y"), BASE, scores={})
    data = _data(render_view(view))
    assert len(data["nodes"]) == len(view.nodes) and len(data["edges"]) == len(view.edges)
    assert data["state"] == view.state
    assert {n["id"] for n in data["nodes"]} == {n.id for n in view.nodes}
    assert data["options"]["physics"]["stabilization"]["enabled"] is True


def test_render_parallel_edges_bend_apart() -> None:
    from kg.projection import SEIKG, project_triples
    a, b = iri("mechanism", "a"), iri("mechanism", "b")
    graph = project_triples([(a, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", SEIKG + "Mechanism"),
                             (b, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", SEIKG + "Mechanism"),
                             (a, "http://www.w3.org/2004/02/skos/core#broader", b), (a, SEIKG + "hasCause", b)])
    data = _data(render_view(build_overview(graph, BASE, scores={})))
    assert sorted(e["label"] for e in data["edges"]) == ["broader", "hasCause"]
    assert len({e["smooth"]["roundness"] for e in data["edges"]}) == 2


def test_render_overview_form_keeps_the_filters(toy) -> None:
    from visualizations.views import Filters
    view = build_overview(toy, BASE, scores={}, filters=Filters(kinds=("policy",), issuer=iri("actor", "a3")))
    html = render_view(view)
    assert re.search(r'name="issuer"[^>]*value="a3"[^>]*data-lookup="actors"', html)  # a name is looked up, an id kept
    assert 'name="kind" size="18" placeholder="policy,mechanism" value="policy"' in html
