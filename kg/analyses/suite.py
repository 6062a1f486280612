"""Every analysis of one graph version, computed once (at load) so that requests only read results."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TypeVar

from ..errors import InvalidArgument, NotFoundError
from ..project import PROJECTIONS, Projections
from .centrality import CentralityResult, compute_centrality, score_nodes, undirected_weighted
from .communities import CommunityResult, StructuralHoles, detect_communities, find_structural_holes
from .comparison import RegionComparison, compare_regions
from .coverage import FrameworkCoverage, ProblemCoverage, cover_frameworks, cover_problems
from .gaps import RegionGaps, find_region_gaps
from .timeline import Timeline, build_timeline

__all__ = ["AnalysisParameters", "AnalysisSuite", "run_analyses"]

T = TypeVar("T")

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


@dataclass(frozen=True)
class AnalysisSuite:
    """Every analysis of one graph version, with when it was computed and how long each part took."""

    version: str
    started_at: str
    ended_at: str
    seconds: dict[str, float]
    parameters: AnalysisParameters
    projections: Projections
    entity_scores: dict[str, dict[str, float]]  # every entity's score per centrality measure, for views
    centrality: dict[str, CentralityResult]
    communities: dict[str, CommunityResult]
    membership: dict[str, dict[str, int]]  # projection -> entity -> community index, for views
    structural_holes: StructuralHoles
    timeline: Timeline
    problems: ProblemCoverage
    frameworks: tuple[FrameworkCoverage, ...]
    region_gaps: dict[str, RegionGaps]

    @property
    def pagerank(self) -> dict[str, float]:
        """Every entity's PageRank in the entity projection (ranks gap candidates and sizes views)."""
        return self.entity_scores["pagerank"]

    def gaps(self, region: str) -> RegionGaps:
        """The precomputed gap analysis of ``region`` (an IRI).

        Raises
        ------
        kg.errors.NotFoundError
            If ``region`` is not a region of the graph.
        """
        if region not in self.region_gaps:
            raise NotFoundError(f"region: no region {region.rsplit('/', 1)[-1]!r} in the graph")
        return self.region_gaps[region]

    def compare(self, regions: list[str]) -> RegionComparison:
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
        return compare_regions(self.projections, regions, analysed=self.region_gaps)

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
    """Run every analysis on ``projections``: centrality on each projection, communities, structural holes,
    timeline, problem and framework coverage, and the gaps of every region."""
    p = parameters or AnalysisParameters()
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    seconds: dict[str, float] = {}

    def timed(name: str, work: Callable[[], T]) -> T:
        t0 = time.perf_counter()
        value = work()
        seconds[name] = round(time.perf_counter() - t0, 3)
        return value

    pagerank = timed("pagerank", lambda: score_nodes(undirected_weighted(projections.entity), "pagerank"))
    entity_scores: dict[str, dict[str, float]] = {"pagerank": pagerank}  # the entity centrality reuses it
    centrality = {name: timed(f"centrality:{name}", lambda name=name: compute_centrality(
        projections, name, top=p.top, exact_limit=p.exact_limit, samples=p.samples, seed=p.seed,
        keep=entity_scores if name == "entity" else None))
        for name in PROJECTIONS}
    membership: dict[str, dict[str, int]] = {name: {} for name in COMMUNITY_PROJECTIONS}
    communities = {name: timed(f"communities:{name}", lambda name=name: detect_communities(
        projections, name, seed=p.seed, membership=membership[name])) for name in COMMUNITY_PROJECTIONS}
    holes = timed("structural-holes", lambda: find_structural_holes(projections, top=2 * p.top))
    timeline = timed("timeline", lambda: build_timeline(projections))
    problems = timed("problem-coverage", lambda: cover_problems(projections))
    frameworks = timed("framework-coverage", lambda: cover_frameworks(projections))
    gaps = timed("region-gaps", lambda: {r: find_region_gaps(projections, r, centrality=pagerank,
                                                             candidates=p.candidates)
                                         for r in projections.nodes_of("region")})
    return AnalysisSuite(projections.version, started, datetime.now(timezone.utc).isoformat(timespec="seconds"),
                         seconds, p, projections, entity_scores, centrality, communities, membership,
                         holes, timeline, problems, frameworks, gaps)
