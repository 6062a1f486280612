"""A schematic tile map of China's provinces: one equal square per province-level division, placed roughly
where the province lies, so that no boundary (and no disputed line) is drawn.

The layout is declared once in :data:`TILES` (a region id and its column and row); everything else (names,
which macro-region a province lies in, values) comes from the graph through
:class:`kg.analyses.region_measures.RegionMap`. The drawing is plain data that a template turns into inline
SVG: no script, nothing fetched. The layout covers the 31 province-level divisions of the mainland that the
National Bureau of Statistics divides into the four macro-regions (the regions of the graph); see
``docs/analyses.md``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.analyses.region_measures import RegionMap

__all__ = ["PALETTE", "TILES", "Bin", "Tile", "TileMapDrawing", "draw_tile_map"]

#: (column, row) of each province's tile, by region id; row 0 is the north
TILES: dict[str, tuple[int, int]] = {
    "heilongjiang": (7, 0),
    "inner-mongolia": (4, 1), "beijing": (5, 1), "liaoning": (6, 1), "jilin": (7, 1),
    "xinjiang": (1, 2), "gansu": (2, 2), "ningxia": (3, 2), "shanxi": (4, 2), "hebei": (5, 2), "tianjin": (6, 2),
    "xizang": (1, 3), "qinghai": (2, 3), "shaanxi": (3, 3), "henan": (4, 3), "shandong": (5, 3),
    "sichuan": (2, 4), "chongqing": (3, 4), "hubei": (4, 4), "anhui": (5, 4), "jiangsu": (6, 4), "shanghai": (7, 4),
    "yunnan": (2, 5), "guizhou": (3, 5), "hunan": (4, 5), "jiangxi": (5, 5), "zhejiang": (6, 5),
    "guangxi": (3, 6), "guangdong": (4, 6), "fujian": (5, 6),
    "hainan": (4, 7),
}

#: ColorBrewer "Blues", five classes (light to dark); text on the two darkest is white
PALETTE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")

#: the outline colour of each macro-region's tiles, by region id
OUTLINES = {"eastern-region": "#b35806", "central-region": "#1b7837", "western-region": "#762a83",
            "northeastern-region": "#2d004b"}

_SIZE, _GAP, _MARGIN = 70, 4, 8
_SUFFIX_EN = re.compile(r" (Zhuang |Hui |Uygur )?(Province|Autonomous Region)$")
_SUFFIX_ZH = re.compile(r"(壮族自治区|回族自治区|维吾尔自治区|自治区|省|市)$")


@dataclass(frozen=True)
class Bin:
    """One class of the legend: values from ``low`` to ``high`` share ``colour``."""

    low: int
    high: int
    colour: str


@dataclass(frozen=True)
class Tile:
    """A province's square: where it is, its short names, the page it opens and its shading."""

    x: int
    y: int
    size: int
    region_id: str
    label: str
    short: str
    short_zh: str
    href_id: str  # the region whose page the tile opens: the province, or its macro-region on that level
    value: int
    fill: str
    ink: str
    outline: str
    title: str


@dataclass(frozen=True)
class TileMapDrawing:
    """The tiles, the legend and the size of the drawing (SVG user units)."""

    width: int
    height: int
    tiles: tuple[Tile, ...]
    bins: tuple[Bin, ...]
    outlines: tuple[tuple[str, str, str], ...]  # (region id, label, colour)


def _bins(low: int, high: int) -> tuple[Bin, ...]:
    count = high - low + 1
    if count <= len(PALETTE):  # few distinct values: one class each, spread from the lightest to the darkest
        spread = [round(i * (len(PALETTE) - 1) / (count - 1)) for i in range(count)] if count > 1 else [2]
        return tuple(Bin(v, v, PALETTE[spread[i]]) for i, v in enumerate(range(low, high + 1)))
    step = (high - low + 1) / len(PALETTE)
    edges = [low + round(i * step) for i in range(len(PALETTE))] + [high + 1]
    return tuple(Bin(edges[i], edges[i + 1] - 1, PALETTE[i]) for i in range(len(PALETTE)))


def _colour(bins: tuple[Bin, ...], value: int) -> str:
    return next((b.colour for b in bins if b.low <= value <= b.high), PALETTE[0])


def draw_tile_map(region_map: RegionMap) -> TileMapDrawing:
    """The tile map of ``region_map``: provinces shaded by their own value, or by their macro-region's when the
    map's level is ``macro-region`` (a tile then opens the macro-region's page). A province of the layout that
    is not in the graph is not drawn."""
    by_id = {p.region.iri.rsplit("/", 1)[-1]: p for p in region_map.places}
    bins = _bins(region_map.low, region_map.high)
    macro = region_map.level == "macro-region"
    tiles = []
    for region_id, (column, row) in sorted(TILES.items(), key=lambda item: (item[1][1], item[1][0])):
        place = by_id.get(region_id)
        if place is None:
            continue
        within_id = place.within.iri.rsplit("/", 1)[-1] if place.within else ""
        shading = by_id.get(within_id) if macro else place
        value = shading.value if shading else 0
        fill = _colour(bins, value)
        title = (f"{place.region.label} ({place.label_zh or ''}), in {place.within.label if place.within else '?'}"
                 f": {region_map.measure['title'].lower()} "
                 + (f"of {shading.region.label} {value}" if macro and shading else str(value)))
        tiles.append(Tile(_MARGIN + column * (_SIZE + _GAP), _MARGIN + row * (_SIZE + _GAP), _SIZE, region_id,
                          place.region.label, _SUFFIX_EN.sub("", place.region.label),
                          _SUFFIX_ZH.sub("", place.label_zh or ""), within_id if macro and shading else region_id,
                          value, fill, "#ffffff" if fill in PALETTE[3:] else "#1d2430",
                          OUTLINES.get(within_id, "#888888"), title))
    columns = max(c for c, _ in TILES.values()) + 1
    rows = max(r for _, r in TILES.values()) + 1
    used = sorted({t.outline for t in tiles})
    outlines = tuple((rid, by_id[rid].region.label, colour) for rid, colour in OUTLINES.items()
                     if rid in by_id and colour in used)
    return TileMapDrawing(2 * _MARGIN + columns * (_SIZE + _GAP) - _GAP, 2 * _MARGIN + rows * (_SIZE + _GAP) - _GAP,
                          tuple(tiles), bins, outlines)
