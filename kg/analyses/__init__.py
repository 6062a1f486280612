"""Network analyses over the projections of :mod:`kg.project`: pure functions returning plain data.

Each result carries a :class:`~kg.analyses.method.Method` that says how to re-run it: the SPARQL
(with values bound) or the projection and NetworkX algorithm.
"""
from .centrality import MEASURES, CentralityResult, compute_centrality
from .communities import CommunityResult, StructuralHoles, detect_communities, find_structural_holes
from .comparison import RegionComparison, compare_regions
from .coverage import FrameworkCoverage, ProblemCoverage, cover_frameworks, cover_problems
from .gaps import RegionGaps, find_region_gaps, present_mechanisms
from .method import Method, to_plain
from .suite import AnalysisParameters, AnalysisSuite, run_analyses
from .timeline import Timeline, build_timeline

__all__ = ["MEASURES", "AnalysisParameters", "AnalysisSuite", "CentralityResult", "CommunityResult",
           "FrameworkCoverage", "Method", "ProblemCoverage", "RegionComparison", "RegionGaps", "StructuralHoles",
           "Timeline", "build_timeline", "compare_regions", "compute_centrality", "cover_frameworks",
           "cover_problems", "detect_communities", "find_region_gaps", "find_structural_holes",
           "present_mechanisms", "run_analyses", "to_plain"]
