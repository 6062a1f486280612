"""Every analysis of one graph version, computed once (at load) so that requests only read results."""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from kg.errors import InvalidArgument, NotFoundError
from kg.projection import PROJECTIONS, Projections
from kg.analyses import registry
from kg.analyses.centrality import CentralityResult, score_nodes, undirected_weighted
from kg.analyses.communities import CommunityResult, StructuralHoles
from kg.analyses.comparison import RegionComparison, compare_regions
from kg.analyses.coverage import FrameworkCoverage, ProblemCoverage
from kg.analyses.gaps import RegionGaps
from kg.analyses.region_measures import RegionMeasures
from kg.analyses.registry import COMMUNITY_PROJECTIONS, AnalysisParameters, RunContext
from kg.analyses.timeline import Timeline

__all__ = ["AnalysisParameters", "AnalysisSuite", "run_analyses"]



@dataclass(frozen=True)
class AnalysisSuite:
    """Every analysis of one graph version (``results``, keyed by the registry's names), with when it was
    computed and how long each part took. ``without_cross_source`` holds the analyses of the registry marked
    ``cross_source`` once more, computed without the links that rest only on cross-paper inferences."""

    version: str
    started_at: str
    ended_at: str
    seconds: dict[str, float]
    parameters: AnalysisParameters
    projections: Projections
    entity_scores: dict[str, dict[str, float]]  # every entity's score per centrality measure, for views
    membership: dict[str, dict[str, int]]  # projection -> entity -> community index, for views
    results: dict[str, Any]
    without_cross_source: dict[str, Any]

    def result(self, name: str, *, cross_source: bool = True) -> Any:
        """The result of the analysis ``name``, with or without the links that rest only on cross-paper inferences.

        Raises
        ------
        kg.errors.NotFoundError
            If no analysis has that name.
        kg.errors.InvalidArgument
            If ``cross_source`` is False for an analysis that does not count such links.
        """
        if name not in self.results:
            raise NotFoundError(f"analysis: no analysis {name!r}")
        if cross_source:
            return self.results[name]
        if name not in self.without_cross_source:
            raise InvalidArgument(f"cross_source: the {name} analysis does not count addressesProblem links; "
                                  f"cross_source=exclude applies to {', '.join(self.without_cross_source)}")
        return self.without_cross_source[name]

    @property
    def centrality(self) -> dict[str, CentralityResult]:
        """Centrality per projection."""
        return self.results["centrality"]

    @property
    def communities(self) -> dict[str, CommunityResult]:
        """Communities per projection."""
        return self.results["communities"]

    @property
    def structural_holes(self) -> StructuralHoles:
        """Burt's constraint of co-issuing actors."""
        return self.results["structural-holes"]

    @property
    def timeline(self) -> Timeline:
        """Policies over time."""
        return self.results["timeline"]

    @property
    def problems(self) -> ProblemCoverage:
        """Orphan, fragile and proposal-only problems."""
        return self.results["coverage"]

    @property
    def frameworks(self) -> tuple[FrameworkCoverage, ...]:
        """Framework coverage."""
        return self.results["frameworks"]

    @property
    def region_gaps(self) -> dict[str, RegionGaps]:
        """The gaps of every region, by IRI."""
        return self.results["region-gaps"]

    @property
    def region_measures(self) -> RegionMeasures:
        """The map's measures per province and macro-region."""
        return self.results["region-measures"]

    @property
    def pagerank(self) -> dict[str, float]:
        """Every entity's PageRank in the entity projection (ranks gap candidates and sizes views)."""
        return self.entity_scores["pagerank"]

    def gaps(self, region: str, *, cross_source: bool = True) -> RegionGaps:
        """The precomputed gap analysis of ``region`` (an IRI), with or without the links that rest only on
        cross-paper inferences.

        Raises
        ------
        kg.errors.NotFoundError
            If ``region`` is not a region of the graph.
        """
        if region not in self.region_gaps:
            raise NotFoundError(f"region: no region {region.rsplit('/', 1)[-1]!r} in the graph")
        return self.result("region-gaps", cross_source=cross_source)[region]

    def compare(self, regions: list[str], *, cross_source: bool = True) -> RegionComparison:
        """The coverage matrix of ``regions``, assembled from their precomputed gap analyses.

        Raises
        ------
        kg.errors.InvalidArgument
            If fewer than two distinct regions are given.
        kg.errors.NotFoundError
            If a region is unknown.
        """
        for region in regions:
            self.gaps(region)
        projections = self.projections if cross_source else self.projections.without_cross_source()
        return compare_regions(projections, regions, analysed=self.result("region-gaps", cross_source=cross_source))

    def centrality_of(self, projection: str) -> CentralityResult:
        """The centrality result on ``projection``.

        Raises
        ------
        kg.errors.InvalidArgument
            If there is no such projection.
        """
        if projection not in self.centrality:
            raise InvalidArgument(f"projection: no projection {projection!r}; one of: {', '.join(PROJECTIONS)}")
        return self.centrality[projection]

    def communities_of(self, projection: str) -> CommunityResult:
        """The community result on ``projection``.

        Raises
        ------
        kg.errors.InvalidArgument
            If communities are not computed for ``projection``.
        """
        if projection not in self.communities:
            raise InvalidArgument(f"projection: communities are computed for {', '.join(COMMUNITY_PROJECTIONS)}, "
                                f"not {projection!r}")
        return self.communities[projection]


def run_analyses(projections: Projections, parameters: AnalysisParameters | None = None) -> AnalysisSuite:
    """Run every analysis of the registry (:data:`kg.analyses.registry.ANALYSES`) on ``projections``."""
    p = parameters or AnalysisParameters()
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    run = RunContext(p, score_nodes(undirected_weighted(projections.entity), "pagerank"))
    seconds["pagerank"] = round(time.perf_counter() - t0, 3)
    results: dict[str, Any] = {}
    run.computed = results
    for entry in registry.ANALYSES:
        t0 = time.perf_counter()
        results[entry.name] = entry.compute(projections, run)
        seconds[entry.name] = round(time.perf_counter() - t0, 3)
    without = {entry.name: results[entry.name] for entry in registry.ANALYSES
               if entry.cross_source and not projections.cross_source}  # already left out
    if projections.cross_source:
        t0 = time.perf_counter()
        reduced = projections.without_cross_source()
        run.computed = {**results}
        for entry in registry.ANALYSES:
            if entry.cross_source:
                without[entry.name] = run.computed[entry.name] = entry.compute(reduced, run)
        seconds["without cross-source links"] = round(time.perf_counter() - t0, 3)
    return AnalysisSuite(projections.version, started, datetime.now(timezone.utc).isoformat(timespec="seconds"),
                         seconds, p, projections, run.entity_scores or {"pagerank": run.pagerank}, run.membership,
                         results, without)
