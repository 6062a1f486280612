"""Measures per province and macro-region, for shading a map and ranking places: gaps, own problems, present
mechanisms, named pilot cities and cases, each read from the region's gap analysis or the region hierarchy.

Each measure is declared once in :data:`MEASURES` (its name, title, what it counts and how); the map, its JSON
and the CLI table all read that tuple. The analysis knows no URLs and no layout: where a place is drawn is the
map's business (:mod:`visualizations.tilemap`).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from kg.errors import InvalidArgument
from kg.projection import SEIKG, Projections
from kg.analyses.gaps import Ref, RegionGaps, region_scope
from kg.analyses.method import Method, cross_source_note

__all__ = ["LEVELS", "MEASURES", "MapPlace", "MeasureDef", "PlaceMeasures", "RegionMap", "RegionMeasures",
           "measure_named", "measure_regions", "select_measure"]

#: the levels a map shows: a region's class in the ontology and the level's name
LEVELS = {SEIKG + "Province": "province", SEIKG + "MacroRegion": "macro-region"}

#: the programme whose cases name pilot cities (a mechanism id), with the mechanisms narrower than it
PILOT_PROGRAMME = "industry-education-integration-pilot-cities"


@dataclass(frozen=True)
class MeasureDef:
    """One measure: ``count`` takes the projections, the region, the places in it (itself first) and its gap
    analysis, and returns a whole number."""

    name: str
    title: str
    description: str
    count: Callable[[Projections, str, list[str], RegionGaps], int]


def _pilot_cities(projections: Projections, region: str, inside: list[str], gaps: RegionGaps) -> int:
    programme = [m for m in projections.nodes_of("mechanism") if m.rsplit("/", 1)[-1] == PILOT_PROGRAMME]
    mechanisms = set(programme) | {n for m in programme for n in projections.sources(m, "broader")}
    cases = {c for m in mechanisms for c in projections.sources(m, "exemplifiesMechanism")}
    named = {place for c in cases for place in projections.targets(c, "caseRegion")}
    # a pilot city named with the province it lies in counts once, as the city
    return sum(1 for place in inside if place in named
               and not any(child in named for child in projections.sources(place, "partOfRegion")))


def _cases(projections: Projections, region: str, inside: list[str], gaps: RegionGaps) -> int:
    return len({c for place in inside for c in projections.sources(place, "caseRegion")})


MEASURES: tuple[MeasureDef, ...] = (
    MeasureDef("gaps", "Gaps", "faced problems that no mechanism present in the place addresses; a place faces "
               "the problems stated for it and for the regions containing it, and a region counts the mechanisms "
               "present anywhere inside it, so the numbers are not shares (see the region's page for both)",
               lambda projections, region, inside, gaps: len(gaps.gaps)),
    MeasureDef("own-problems", "Own problems", "problems a source states for the place itself, or that one of "
               "its statistics indicates (a curators' reading, cited), not those inherited from a region "
               "containing it", lambda projections, region, inside, gaps: gaps.own_problems),
    MeasureDef("present-mechanisms", "Present mechanisms", "mechanisms present through a policy that applies, an "
               "actor located there or a case there", lambda projections, region, inside, gaps: len(gaps.present)),
    MeasureDef("pilot-cities", "Named pilot cities", "places in it that the papers name as national "
               "industry-education integration pilot cities (the papers name 5 of the first 21)", _pilot_cities),
    MeasureDef("cases", "Cases", "cases the papers report in the place or a place inside it", _cases),
)


def measure_named(name: str) -> MeasureDef | None:
    """The measure called ``name``, or None."""
    return next((m for m in MEASURES if m.name == name), None)


@dataclass(frozen=True)
class PlaceMeasures:
    """A province or macro-region (``level``), the macro-region it lies in (``within``), its Chinese name and
    its value for each measure (keyed by the measures' names)."""

    region: Ref
    level: str
    label_zh: str | None
    within: Ref | None
    values: dict[str, int]


@dataclass(frozen=True)
class RegionMeasures:
    """Every province and macro-region of the graph with every measure; ``measures`` says what each counts."""

    places: tuple[PlaceMeasures, ...]
    measures: tuple[dict[str, str], ...]
    method: Method


def _level(projections: Projections, region: str) -> str | None:
    return next((LEVELS[t] for t in projections.entity.nodes[region].get("types", ()) if t in LEVELS), None)


def measure_regions(projections: Projections, analysed: Mapping[str, RegionGaps]) -> RegionMeasures:
    """Each province and macro-region with every measure of :data:`MEASURES`, from their gap analyses
    (``analysed``, by IRI: every region of the graph must be in it).

    Raises
    ------
    KeyError
        If a province or macro-region has no gap analysis in ``analysed``.
    """
    places = []
    countries = {r for r in projections.nodes_of("region") if SEIKG + "Country" in projections.entity.nodes[r]["types"]}
    for region in sorted(projections.nodes_of("region"), key=lambda r: (projections.label(r), r)):
        node = projections.entity.nodes[region]
        level = _level(projections, region)
        up, inside = region_scope(projections, region)
        if level is None or not countries.intersection(up):  # only the places of a country (not "BRICS countries")
            continue
        within = next((Ref(r, projections.label(r)) for r in projections.targets(region, "partOfRegion")
                       if _level(projections, r) == "macro-region"), None)
        places.append(PlaceMeasures(Ref(region, projections.label(region)), level, node.get("label_zh"), within,
                                    {m.name: m.count(projections, region, inside, analysed[region])
                                     for m in MEASURES}))
    return RegionMeasures(tuple(places), tuple({"name": m.name, "title": m.title, "description": m.description}
                                               for m in MEASURES), Method(
        "for each province and macro-region, counts read from its gap analysis (kg.analyses.gaps) and from the "
        "places inside it (partOfRegion): " + "; ".join(f"{m.name}: {m.description}" for m in MEASURES)
        + "; " + cross_source_note(projections),
        projection="region-hierarchy", algorithm="kg.analyses.region_measures.measure_regions",
        parameters={"cross_source": "include" if projections.cross_source else "exclude"}))


@dataclass(frozen=True)
class MapPlace:
    """A place on the map with the chosen measure's value (``shaded``: it is of the map's level)."""

    region: Ref
    level: str
    label_zh: str | None
    within: Ref | None
    value: int
    shaded: bool


@dataclass(frozen=True)
class RegionMap:
    """One measure over the provinces or macro-regions: every place with its value, the level shaded, the
    measure's declaration and the range of the shaded values."""

    measure: dict[str, str]
    level: str
    places: tuple[MapPlace, ...]
    low: int
    high: int
    method: Method


def select_measure(measures: RegionMeasures, name: str, level: str) -> RegionMap:
    """The measure ``name`` of every place, shading the places of ``level`` (``province`` or ``macro-region``).

    Raises
    ------
    kg.errors.InvalidArgument
        If the measure or the level is unknown.
    """
    if measure_named(name) is None:
        raise InvalidArgument(f"measure: no measure {name!r}; one of: {', '.join(m.name for m in MEASURES)}")
    if level not in LEVELS.values():
        raise InvalidArgument(f"level: no level {level!r}; one of: {', '.join(LEVELS.values())}")
    places = tuple(MapPlace(p.region, p.level, p.label_zh, p.within, p.values[name], p.level == level)
                   for p in measures.places)
    values = [p.value for p in places if p.shaded] or [0]
    return RegionMap(next(m for m in measures.measures if m["name"] == name), level, places, min(values), max(values),
                     measures.method)
