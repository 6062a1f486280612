"""Every analysis, declared once: what it computes, how it is tabulated, and whether it is served whole.

The suite (:mod:`kg.analyses.suite`) runs these entries in order when a graph
is loaded; ``seikg analyze NAME`` runs one of them; the API serves each entry
with ``served`` at ``/api/analysis/NAME`` and, where it has a ``template``, a
page at ``/analysis/NAME`` with that JSON as its twin. Adding an analysis is a
module with a pure function and its tables, one entry here, and a template if
it has a page (``docs/architecture.md``). The analyses know no URLs: the API
turns a name into a path.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kg.projection import PROJECTIONS, Projections
from kg.analyses.centrality import compute_centrality
from kg.analyses.communities import (CommunityResult, StructuralHoles, detect_communities,
                                     find_structural_holes)
from kg.analyses.coverage import FrameworkCoverage, ProblemCoverage, cover_frameworks, cover_problems
from kg.analyses.gaps import find_region_gaps
from kg.analyses.region_measures import RegionMeasures, measure_regions
from kg.analyses.tables import Table, tabulate
from kg.analyses.timeline import Timeline, build_timeline

__all__ = ["ANALYSES", "COMMUNITY_PROJECTIONS", "AnalysisDef", "AnalysisParameters", "RunContext",
           "analysis_named", "served_analyses"]

#: the projections that get a community analysis
COMMUNITY_PROJECTIONS = ("entity", "co-issuance", "mechanism-problem")


@dataclass(frozen=True)
class AnalysisParameters:
    """Knobs of a full run; the defaults are what the server uses."""

    seed: int = 42
    top: int = 25
    exact_limit: int = 1000
    samples: int = 100
    candidates: int = 10


@dataclass
class RunContext:
    """What one run shares between its analyses: the parameters, and the scores and memberships that
    views reuse (filled by the analyses that compute them)."""

    parameters: AnalysisParameters
    pagerank: dict[str, float]
    entity_scores: dict[str, dict[str, float]] = field(default_factory=dict)
    membership: dict[str, dict[str, int]] = field(default_factory=dict)
    #: the results computed so far in this pass, by name (an analysis may read those before it in ANALYSES)
    computed: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AnalysisDef:
    """One analysis.

    ``compute`` is a pure function of the projections and the run's context; ``tables`` turns its result
    into titled tables for the CLI (by default :func:`kg.analyses.tables.tabulate`). With ``served``, the
    whole result is the analysis' JSON; otherwise a parameterised reading of it is (centrality by
    projection, gaps by region). ``result_type`` is the JSON's schema; ``template`` names its page.
    """

    name: str
    title: str
    compute: Callable[[Projections, RunContext], Any]
    result_type: Any = None
    served: bool = True
    template: str | None = None
    tables: Callable[[Any], list[Table]] = tabulate
    cli_names: tuple[str, ...] = ()  # older CLI names that keep working
    #: it counts addressesProblem links, so it is also computed without those that rest only on cross-paper
    #: inferences, and served with ``cross_source=include|exclude``
    cross_source: bool = False


def _centrality(projections: Projections, run: RunContext) -> dict[str, Any]:
    p = run.parameters
    run.entity_scores["pagerank"] = run.pagerank  # the entity centrality reuses it
    return {name: compute_centrality(projections, name, top=p.top, exact_limit=p.exact_limit, samples=p.samples,
                                     seed=p.seed, keep=run.entity_scores if name == "entity" else None)
            for name in PROJECTIONS}


def _communities(projections: Projections, run: RunContext) -> dict[str, CommunityResult]:
    results = {}
    for name in COMMUNITY_PROJECTIONS:
        run.membership[name] = {}
        results[name] = detect_communities(projections, name, seed=run.parameters.seed,
                                           membership=run.membership[name])
    return results


def _region_gaps(projections: Projections, run: RunContext) -> dict[str, Any]:
    return {r: find_region_gaps(projections, r, centrality=run.pagerank, candidates=run.parameters.candidates)
            for r in projections.nodes_of("region")}


ANALYSES: tuple[AnalysisDef, ...] = (
    AnalysisDef("centrality", "Top entities per class by degree, betweenness, PageRank and closeness",
                _centrality, served=False),
    AnalysisDef("communities", "Louvain communities (seeded) with modularity", _communities, served=False),
    AnalysisDef("structural-holes", "Burt's constraint of co-issuing actors, lowest first",
                lambda projections, run: find_structural_holes(projections, top=2 * run.parameters.top),
                result_type=StructuralHoles, cli_names=("holes",)),
    AnalysisDef("timeline", "Policies per year, issuer and genre; co-issuance over time; first and last policy "
                            "per mechanism", lambda projections, run: build_timeline(projections),
                result_type=Timeline),
    AnalysisDef("coverage", "Orphan, fragile and proposal-only problems",
                lambda projections, run: cover_problems(projections), result_type=ProblemCoverage, cross_source=True),
    AnalysisDef("frameworks", "Each mechanism framework's components that no policy establishes and no actor "
                              "implements", lambda projections, run: cover_frameworks(projections),
                result_type=list[FrameworkCoverage]),
    AnalysisDef("region-gaps", "Each region's gaps: faced problems no present mechanism addresses",
                _region_gaps, served=False, cross_source=True),
    AnalysisDef("region-measures", "Gaps, own problems, present mechanisms, named pilot cities and cases per "
                                   "province and macro-region (the map's measures)",
                lambda projections, run: measure_regions(projections, run.computed.get("region-gaps")
                                                         or _region_gaps(projections, run)),
                result_type=RegionMeasures, cross_source=True),
)


def analysis_named(name: str) -> AnalysisDef | None:
    """The analysis called ``name`` (or one of its older CLI names), or None."""
    for entry in ANALYSES:
        if name == entry.name or name in entry.cli_names:
            return entry
    return None


def served_analyses() -> tuple[AnalysisDef, ...]:
    """The analyses whose whole result is served as they are (no parameters)."""
    return tuple(entry for entry in ANALYSES if entry.served)
