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

__all__ = ["ASSET_DIR", "render_view", "view_options", "vis_elements"]

ASSET_DIR = Path(__file__).with_name("static") / "vis-network"
_OPTIONS = {
    "physics": {"solver": "forceAtlas2Based", "stabilization": {"enabled": True, "iterations": 400, "fit": True},
                "forceAtlas2Based": {"gravitationalConstant": -80, "springLength": 140, "avoidOverlap": 0.8}},
    "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "keyboard": False},
    "edges": {"font": {"size": 9, "align": "middle", "color": "#555"}, "color": {"color": "#999"},
              "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}},
    # labels wrap at 170 px, so that long labels of neighbours do not run into each other
    "nodes": {"font": {"size": 13}, "widthConstraint": {"maximum": 170}},
}


def view_options() -> dict[str, object]:
    """The vis-network options every view uses: stabilise with physics, then the page freezes the layout."""
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
    for node in view.nodes:
        style = legend.get(node.role) or style_of(node.role)
        shape = style_of(node.kind).shape if style.shape == "by kind" else style.shape
        options: dict[str, object] = {"title": node.title, "size": node.size, "kind": node.kind, "role": node.role,
                                      "href": node.href, "date": node.date,
                                      "color": {"background": style.color, "border": "#333" if style.dashed
                                                else style.color}}
        if style.dashed:
            options["shapeProperties"] = {"borderDashes": [5, 4]}
            options["borderWidth"] = 2
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
