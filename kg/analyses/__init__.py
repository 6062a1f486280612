"""Network analyses over the projections of :mod:`kg.projection`: pure functions returning plain data.

Each result carries a :class:`~kg.analyses.method.Method` that says how to re-run it: the SPARQL
(with values bound) or the projection and NetworkX algorithm.
"""
from kg.analyses.centrality import MEASURES, CentralityResult, compute_centrality
from kg.analyses.communities import CommunityResult, StructuralHoles, detect_communities, find_structural_holes
from kg.analyses.comparison import RegionComparison, compare_regions
from kg.analyses.coverage import FrameworkCoverage, ProblemCoverage, cover_frameworks, cover_problems
from kg.analyses.gaps import RegionGaps, find_region_gaps, present_mechanisms
from kg.analyses.method import Method, to_plain
from kg.analyses.suite import AnalysisParameters, AnalysisSuite, run_analyses
from kg.analyses.timeline import Timeline, build_timeline

__all__ = ["MEASURES", "AnalysisParameters", "AnalysisSuite", "CentralityResult", "CommunityResult",
           "FrameworkCoverage", "Method", "ProblemCoverage", "RegionComparison", "RegionGaps", "StructuralHoles",
           "Timeline", "build_timeline", "compare_regions", "compute_centrality", "cover_frameworks",
           "cover_problems", "detect_communities", "find_region_gaps", "find_structural_holes",
           "present_mechanisms", "run_analyses", "to_plain"]
