"""Interactive graph views of seikg, built on pyvis and served offline.

Imports run one way: ``kg`` <- ``visualizations`` <- ``api``. A view is first
built as plain data (:mod:`visualizations.views`), which is also its JSON twin,
and then rendered to HTML (:mod:`visualizations.render`) with a vendored
vis-network, so no page or exported file loads anything from outside the app.
"""
from visualizations.render import render_view
from visualizations.views import (DEFAULT_CAP, View, ViewEdge, ViewNode, build_bipartite, build_ego, build_overview,
                    build_region_gaps)

__all__ = ["DEFAULT_CAP", "View", "ViewEdge", "ViewNode", "build_bipartite", "build_ego", "build_overview",
           "build_region_gaps", "render_view"]
