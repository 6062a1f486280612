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


def test_issue_18_a_large_component_is_laid_out_by_igraph(monkeypatch) -> None:
    """A component of more than LARGE_COMPONENT nodes gets igraph's grid Fruchterman-Reingold (networkx's
    energy method is quadratic: the 10k-node overview at 1M took 280 s); the layout is the same on every call,
    spread over the canvas, with every node placed."""
    import networkx as nx

    from visualizations import render
    from visualizations.views import View, ViewEdge, ViewNode

    spring = nx.spring_layout

    def small_only(graph, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        assert len(graph) <= render.LARGE_COMPONENT, "networkx laid out a large component"
        return spring(graph, *args, **kwargs)
    monkeypatch.setattr(nx, "spring_layout", small_only)
    count = render.LARGE_COMPONENT + 100
    nodes = tuple(ViewNode(f"n{i}", f"N{i}", "policy", "policy", 1, "", None) for i in range(count))
    edges = tuple(ViewEdge(f"n{i}", f"n{j}", "link", "") for i in range(count)  # one component: a ring, chords
                  for j in {(i + 1) % count, (i * 7 + 1) % count} if j != i)
    view = View("overview", "overview", nodes, edges, count, count, ())
    first, again = render.layout_positions(view), render.layout_positions(view)
    assert first == again and len(first) == count
    xs, ys = [x for x, _ in first.values()], [y for _, y in first.values()]
    assert max(xs) - min(xs) > 1000 and max(ys) - min(ys) > 1000
    assert len(set(first.values())) > 0.99 * count  # spread out, not piled up
