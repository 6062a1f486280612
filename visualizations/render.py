"""Drawing a :class:`~visualizations.views.View` as an HTML page with vis-network, through pyvis.

pyvis assembles the vis-network node, edge and option objects; the page comes from our own template,
because pyvis's templates load vis-network and Bootstrap from CDNs even in "local" mode (pyvis issues
#228, #229) and write library files into the current directory. The data goes into the page as JSON
inside ``<script type="application/json">`` with ``<``, ``>``, ``&`` and ``'`` escaped, so no label can end
the script; tooltips are plain text (vis-network 9 shows a string title as text), and node links are
followed only when they are paths of this app.
"""
from __future__ import annotations

import json
import random
import threading
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Literal

from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyvis.edge import Edge
from pyvis.network import Network
from pyvis.node import Node

from visualizations.styles import style_of
from visualizations.views import View

__all__ = ["ASSET_DIR", "LABELLED", "layout_positions", "render_view", "view_options", "vis_elements"]

ASSET_DIR = Path(__file__).with_name("static") / "vis-network"
_OPTIONS = {
    # the layout is computed here (layout_positions), so a view looks the same on every load; physics only
    # spreads the neighbours a hub's expansion adds
    "physics": {"enabled": False, "solver": "forceAtlas2Based",
                "stabilization": {"enabled": True, "iterations": 200, "fit": False},
                "forceAtlas2Based": {"gravitationalConstant": -80, "springLength": 140, "avoidOverlap": 0.8}},
    # no zooming by the mouse wheel until the view is clicked: the page scrolls past it
    "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "keyboard": False,
                    "zoomView": False},
    "edges": {"font": {"size": 9, "align": "middle", "color": "#555"}, "color": {"color": "#999"},
              "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}},
    # labels wrap at 170 px, so that long labels of neighbours do not run into each other; dark text on a
    # white halo reads at 4.5:1 or better on any node colour
    "nodes": {"font": {"size": 13, "color": "#1d2430", "strokeWidth": 3, "strokeColor": "#ffffff"},
              "widthConstraint": {"maximum": 170}},
}
#: how many nodes keep their labels at the view's first zoom (the focus and the largest); the rest show theirs
#: when zoomed in, or on hover
LABELLED = 15
_SPREAD = 1000.0  # the layout's half-width, in vis-network's canvas units


def layout_positions(view: View, *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Where each node of ``view`` is drawn: the same for the same view on every load (seeded).

    A bipartite view has its two kinds in two columns; an ego view puts its focus in the middle and each
    further step on a ring around it; every other view is a force-directed (Fruchterman-Reingold) layout.

    >>> from visualizations.views import View, ViewNode
    >>> v = View("x", "x", (ViewNode("a", "A", "policy", "policy", 1, "", None),
    ...                     ViewNode("b", "B", "actor", "actor", 1, "", None)), (), 2, 2, ())
    >>> layout_positions(v) == layout_positions(v)
    True
    """
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(sorted(node.id for node in view.nodes))
    graph.add_edges_from(sorted((e.source, e.target) for e in view.edges if e.source != e.target))
    if not graph:
        return {}
    focus = view.state.get("focus")
    kinds = {node.id: node.kind for node in view.nodes}
    if view.name == "bipartite":
        left = sorted(n for n in graph if kinds[n] == "mechanism")
        positions = nx.bipartite_layout(graph, left, align="vertical", scale=1) if left else nx.spring_layout(graph, seed=seed)
    elif focus in graph:
        steps = nx.single_source_shortest_path_length(graph, focus)
        far = max(steps.values(), default=0) + 1
        shells = [[focus]] + [sorted(n for n in graph if steps.get(n, far) == d) for d in range(1, far + 1)]
        positions = nx.shell_layout(graph, [shell for shell in shells if shell], scale=1)
    else:
        positions = _packed_spring(graph, seed)
    height = max(1.0, len(graph) / 40) if view.name == "bipartite" else 1.0  # room for a label per row
    return {node: (round(float(x) * _SPREAD, 1), round(float(y) * _SPREAD * height, 1))
            for node, (x, y) in positions.items()}


_LABEL_INSIDE = frozenset({"box", "ellipse", "circle", "database", "text"})


def _tint(colour: str, share: float = 0.78) -> str:
    """``colour`` mixed with ``share`` of white.

    >>> _tint("#1f77b4")
    '#cee1ee'
    """
    channels = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * share):02x}" for c in channels)


def _packed_spring(graph, seed: int) -> dict:  # noqa: ANN001 - a networkx.Graph -> {node: (x, y)}
    """A force-directed layout of each connected component, the largest first, packed in rows by size, so that
    small components and lone nodes do not push the rest into the middle."""
    import networkx as nx

    components = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0]))
    total = len(graph)
    positions: dict = {}
    x = y = row_height = 0.0
    width = 2.0 * (len(components[0]) / total) ** 0.5 * 1.6 if components else 2.0
    for component in components:
        radius = (len(component) / total) ** 0.5  # a component's share of the area
        sub = graph.subgraph(component)
        if len(component) > LARGE_COMPONENT:
            local = _large_spring(sub, seed, radius)
        elif len(component) > 2:
            local = nx.spring_layout(sub, seed=seed, k=1.5 / len(component) ** 0.5, iterations=80, scale=radius)
        else:
            local = nx.circular_layout(sub, scale=radius * 0.5)
        if x > 0 and x + 2 * radius > width:  # next row
            x, y = 0.0, y + row_height + 0.05
            row_height = 0.0
        for node, (px, py) in local.items():
            positions[node] = (x + radius + float(px), y + radius + float(py))
        x += 2 * radius + 0.05
        row_height = max(row_height, 2 * radius)
    if positions:  # centred on 0, spanning about -1..1
        xs, ys = [p[0] for p in positions.values()], [p[1] for p in positions.values()]
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9) / 2
        positions = {n: ((px - cx) / span, (py - cy) / span) for n, (px, py) in positions.items()}
    return positions


#: components larger than this are laid out by igraph's grid Fruchterman-Reingold (C, two seconds for 10k
#: nodes) instead of networkx's (whose energy method is quadratic: 280 s for the 10k-node overview at 1M)
LARGE_COMPONENT = 500
_IGRAPH_RANDOM = threading.Lock()


def _large_spring(sub, seed: int, radius: float) -> dict:  # noqa: ANN001 - a networkx.Graph -> {node: (x, y)}
    """A force-directed layout of one large component, seeded by its start positions, scaled to ``radius``."""
    import igraph
    import numpy as np

    nodes = sorted(sub)
    index = {node: i for i, node in enumerate(nodes)}
    layout_graph = igraph.Graph(n=len(nodes), edges=sorted((index[a], index[b]) for a, b in sub.edges()))
    # start spread over an area that grows with the node count, as igraph's own start is: in a small square
    # every node falls in the same few cells of the grid and the layout is quadratic again (15 s, not 1 s)
    start = (np.random.default_rng(seed).uniform(-1.0, 1.0, size=(len(nodes), 2)) * len(nodes) ** 0.5).tolist()
    with _IGRAPH_RANDOM:  # igraph draws from one process-wide generator: seeded here, then given back
        igraph.set_random_number_generator(random.Random(seed))
        try:
            layout = layout_graph.layout_fruchterman_reingold(seed=start, niter=200, grid=True)
        finally:
            igraph.set_random_number_generator(random)
    coordinates = np.array(layout.coords)
    coordinates -= coordinates.mean(axis=0)
    coordinates *= radius / max(float(np.abs(coordinates).max()), 1e-9)
    return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, coordinates)}


def _labelled(view: View) -> set[str]:
    """The nodes whose labels are drawn at the first zoom: the focus, then the largest (ties by label)."""
    focus = view.state.get("focus")
    ranked = sorted(view.nodes, key=lambda n: (n.id != focus, -n.size, n.label))
    return {node.id for node in ranked[:LABELLED]}


def view_options() -> dict[str, object]:
    """The vis-network options every view uses: positions from :func:`layout_positions`, no physics (but for
    an expansion), no wheel zoom until the view is clicked, dark haloed labels."""
    return json.loads(json.dumps(_OPTIONS))


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(Path(__file__).with_name("templates"))),
                       autoescape=select_autoescape(default=True, default_for_string=True))


def _json_for_script(value: object) -> str:
    """JSON that is safe inside a ``<script>`` element: nothing in it can close the element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e").replace("'", "\\u0027")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _add_node(net: Network, ident: str, label: str, shape: str, options: dict[str, object]) -> None:
    """What ``Network.add_node`` does, without its linear scan of the node list (which makes a 10k-node
    view quadratic); a view's node ids are unique and its edges join drawn nodes, as the builders ensure."""
    node = Node(ident, shape, label=label, font_color=net.font_color, **options)
    net.nodes.append(node.options)
    net.node_ids.append(ident)
    net.node_map[ident] = node.options


def _network(view: View) -> Network:
    net = Network(directed=True)
    legend = {entry.key: entry for entry in view.legend}  # a view may bring its own roles (communities)
    positions = layout_positions(view)
    labelled = _labelled(view)
    for node in view.nodes:
        style = legend.get(node.role) or style_of(node.role)
        shape = style_of(node.kind).shape if style.shape == "by kind" else style.shape
        inside = shape in _LABEL_INSIDE  # a box's label is drawn on its colour: a pale tint of it reads at 4.5:1
        options: dict[str, object] = {"title": node.title, "size": node.size, "kind": node.kind, "role": node.role,
                                      "href": node.href, "date": node.date,
                                      "color": {"background": _tint(style.color) if inside else style.color,
                                                "border": "#333" if style.dashed else style.color}}
        if inside:
            options["borderWidth"] = 2
        if style.dashed:
            options["shapeProperties"] = {"borderDashes": [5, 4]}
            options["borderWidth"] = 2
        if node.id in positions:
            options["x"], options["y"] = positions[node.id]
        options["labelled"] = node.id in labelled  # the page makes these labels readable at its first zoom
        _add_node(net, node.id, node.label[:60] + ("…" if len(node.label) > 60 else ""), shape, options)
    pairs: Counter[frozenset[str]] = Counter()
    for edge in view.edges:
        pair = frozenset((edge.source, edge.target))
        bend = pairs[pair]
        pairs[pair] += 1
        net.edges.append(Edge(edge.source, edge.target, True, label=edge.predicate, title=edge.title,
                              dashes=edge.dashed, smooth={"enabled": True, "type": "curvedCW",
                                                          "roundness": 0.15 + 0.2 * bend}).options)
    net.options = view_options()
    return net


def vis_elements(view: View) -> dict[str, list[dict[str, object]]]:
    """The view's nodes and edges as vis-network draws them (styled by kind or role), for a page that adds
    them to a view it already shows (expanding a hub)."""
    nodes, edges, *_ = _network(view).get_network_data()
    return {"nodes": nodes, "edges": edges}


def render_view(view: View, *, assets: Literal["app", "inline"] = "app", asset_url: str = "/static/views",
                embedded: bool = False) -> str:
    """The view as one HTML page.

    ``assets="app"`` links vis-network from ``asset_url`` (served by the app); ``"inline"`` puts it in
    the page, for a self-contained file that opens with no server and no network.
    """
    nodes, edges, _, _, _, options = _network(view).get_network_data()  # one pyvis pass for data and options
    inline = {}
    if assets == "inline":
        inline = {"script": (ASSET_DIR / "vis-network.min.js").read_text(encoding="utf-8"),
                  "style": (ASSET_DIR / "vis-network.css").read_text(encoding="utf-8")}
    return _environment().get_template("view.html").render(
        view=view, data=_json_for_script({"nodes": nodes, "edges": edges, "options": json.loads(options),
                                          "state": view.state, "name": view.name}),
        inline=inline, asset_url=asset_url, embedded=embedded)
