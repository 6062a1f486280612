"""Regions side by side: a mechanism-by-region coverage matrix built from each region's gap analysis."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kg.errors import InvalidArgument
from kg.projection import Projections
from kg.analyses.gaps import Ref, RegionGaps, find_region_gaps
from kg.analyses.method import Method

__all__ = ["Cell", "MatrixRow", "RegionColumn", "RegionComparison", "compare_regions"]

PRESENT, CANDIDATE, ABSENT = "present", "candidate", "absent"


@dataclass(frozen=True)
class Cell:
    """A mechanism in one region: ``present`` (with what brings it), ``candidate`` (it addresses one of the
    region's gaps, listed in ``gaps``) or ``absent``."""

    status: str
    via: tuple[str, ...] = ()
    gaps: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatrixRow:
    """One mechanism across the compared regions (cells in the order of ``RegionComparison.regions``)."""

    mechanism: Ref
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class RegionColumn:
    """A compared region and its totals."""

    region: Ref
    problems_faced: int
    mechanisms_present: int
    gaps: int


@dataclass(frozen=True)
class RegionComparison:
    """The coverage matrix: every mechanism present in, or a candidate for, at least one of the regions."""

    regions: tuple[RegionColumn, ...]
    rows: tuple[MatrixRow, ...]
    method: Method


def compare_regions(projections: Projections, regions: Sequence[str], *,
                    centrality: Mapping[str, float] | None = None,
                    analysed: Mapping[str, RegionGaps] | None = None) -> RegionComparison:
    """Compare two or more regions (IRIs); ``analysed`` may hold their precomputed gap analyses.

    Raises
    ------
    kg.errors.InvalidArgument
        If fewer than two distinct regions are given.
    kg.errors.NotFoundError
        If one is not a region of the graph.
    """
    regions = list(dict.fromkeys(regions))
    if len(regions) < 2:
        raise InvalidArgument("region: compare needs at least two distinct regions")
    results = [(analysed or {}).get(r) or find_region_gaps(projections, r, centrality=centrality) for r in regions]
    columns = tuple(RegionColumn(g.region, g.problems_faced, len(g.present), len(g.gaps)) for g in results)
    cells: dict[str, list[Cell]] = {}
    for index, result in enumerate(results):
        for mechanism in result.present:
            cells.setdefault(mechanism.iri, [Cell(ABSENT)] * len(results))[index] = Cell(
                PRESENT, tuple(sorted({v.through.label for v in mechanism.via})))
        candidates: dict[str, list[str]] = {}
        for gap in result.gaps:
            for candidate in gap.candidates:
                candidates.setdefault(candidate.iri, []).append(gap.problem.label)
        for mechanism, problems in candidates.items():
            cells.setdefault(mechanism, [Cell(ABSENT)] * len(results))[index] = Cell(CANDIDATE, gaps=tuple(problems))
    rows = sorted((MatrixRow(Ref(m, projections.label(m)), tuple(row)) for m, row in cells.items()),
                  key=lambda r: (-sum(c.status == PRESENT for c in r.cells),
                                 -sum(c.status == CANDIDATE for c in r.cells), r.mechanism.label, r.mechanism.iri))
    return RegionComparison(columns, tuple(rows), Method(
        "each region's gap analysis (kg.analyses.gaps.find_region_gaps) side by side: present mechanisms, and "
        "candidates that address one of the region's gaps", projection="entity",
        algorithm="kg.analyses.comparison.compare_regions", parameters={"regions": regions}))
