"""Colour and shape per kind of entity, and for the gap view's roles; the legend is built from the same table."""
from __future__ import annotations

from dataclasses import dataclass

from kg.model.kinds import kind_by_slug

__all__ = ["LegendEntry", "STYLES", "legend_for", "style_of"]


@dataclass(frozen=True)
class LegendEntry:
    """One line of a view's legend."""

    key: str
    label: str
    color: str
    shape: str
    dashed: bool = False


STYLES: dict[str, LegendEntry] = {entry.key: entry for entry in (
    # every shape draws its label beside it (a box or an ellipse grows with its label, which at the first zoom
    # of a large view is either unreadable or huge)
    LegendEntry("policy", "policy document", "#1f77b4", "square"),
    LegendEntry("actor", "actor", "#ff7f0e", "triangle"),
    LegendEntry("mechanism", "mechanism", "#2ca02c", "dot"),
    LegendEntry("problem", "problem", "#d62728", "diamond"),
    LegendEntry("region", "region", "#9467bd", "hexagon"),
    LegendEntry("source", "source (paper)", "#8c564b", "triangleDown"),
    LegendEntry("case", "case", "#e377c2", "star"),
    LegendEntry("framework", "mechanism framework", "#7f7f7f", "dot"),
    LegendEntry("strategy", "national strategy or guiding concept", "#17becf", "star"),
    LegendEntry("other", "other", "#bcbd22", "dot"),
    # the region gap view
    LegendEntry("gap", "the region's own problem with no mechanism present (gap)", "#d62728", "diamond", dashed=True),
    LegendEntry("inherited", "gaps inherited from a containing region, grouped (open the table for each)",
                "#fbd2d2", "diamond", dashed=True),
    LegendEntry("covered", "problems covered by a present mechanism", "#f4a6a6", "diamond"),
    LegendEntry("present", "mechanism present in the region", "#2ca02c", "dot"),
    LegendEntry("candidate", "candidate mechanism from the literature (missing here)", "#ffffff", "dot",
                dashed=True),
)}


def _key(key: str | None) -> str:
    """A role's key as is; a kind's slug through its style key in the kinds registry."""
    kind = kind_by_slug(key) if key else None
    return kind.style_key if kind is not None else (key or "other")


def style_of(key: str | None) -> LegendEntry:
    """The style for a kind or role (``other`` when unknown)."""
    return STYLES.get(_key(key), STYLES["other"])


def legend_for(keys: set[str]) -> tuple[LegendEntry, ...]:
    """The legend lines for the kinds and roles drawn, in the table's order."""
    wanted = {_key(key) for key in keys}
    return tuple(entry for key, entry in STYLES.items() if key in wanted)
