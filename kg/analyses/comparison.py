"""Regions side by side, built from each region's gap analysis: the regional statistics first, then the
problems and the mechanisms, each sorted so that the rows in which the regions differ come first."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kg.errors import InvalidArgument
from kg.projection import Projections
from kg.analyses.gaps import Ref, RegionGaps, find_region_gaps
from kg.analyses.method import Method
from kg.model.records import Statistic

__all__ = ["Cell", "MatrixRow", "ProblemRow", "RegionColumn", "RegionComparison", "StatisticRow", "compare_regions"]

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
class ProblemRow:
    """One problem across the compared regions: ``own gap``, ``indicated gap``, ``inherited gap``, ``covered`` or
    ``not faced``."""

    problem: Ref
    cells: tuple[str, ...]

    @property
    def differs(self) -> bool:
        """True if the regions do not all stand the same towards the problem."""
        return len(set(self.cells)) > 1


@dataclass(frozen=True)
class StatisticRow:
    """One measure across the compared regions: each region's own figure (its number and unit), or None."""

    measure: str
    cells: tuple[str | None, ...]


@dataclass(frozen=True)
class RegionColumn:
    """A compared region and its totals."""

    region: Ref
    problems_faced: int
    mechanisms_present: int
    gaps: int
    own_problems: int = 0
    own_gaps: int = 0


@dataclass(frozen=True)
class RegionComparison:
    """The comparison: ``statistics`` (the regions' own figures), ``problems`` (every problem one of them faces)
    and ``rows`` (every mechanism present in, or a candidate for, at least one), rows that differ first."""

    regions: tuple[RegionColumn, ...]
    rows: tuple[MatrixRow, ...]
    method: Method
    problems: tuple[ProblemRow, ...] = ()
    statistics: tuple[StatisticRow, ...] = ()


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
    columns = tuple(RegionColumn(g.region, g.problems_faced, len(g.present), len(g.gaps), g.own_problems, g.own_gaps)
                    for g in results)
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
                  key=lambda r: (len({c.status for c in r.cells}) == 1, -sum(c.status == PRESENT for c in r.cells),
                                 -sum(c.status == CANDIDATE for c in r.cells), r.mechanism.label, r.mechanism.iri))
    return RegionComparison(columns, tuple(rows), Method(
        "each region's gap analysis (kg.analyses.gaps.find_region_gaps) side by side: the regions' own statistics, "
        "the problems each faces (own or inherited gap, covered, not faced), present mechanisms and candidates that "
        "address one of the region's gaps; in each table the rows in which the regions differ come first",
        projection="entity", algorithm="kg.analyses.comparison.compare_regions", parameters={"regions": regions}),
        _problem_rows(results), _statistic_rows(results))


def _problem_rows(results: Sequence[RegionGaps]) -> tuple[ProblemRow, ...]:
    standing: dict[str, list[str]] = {}
    labels: dict[str, Ref] = {}
    for index, result in enumerate(results):
        for gap in result.gaps:
            labels[gap.problem.iri] = gap.problem
            standing.setdefault(gap.problem.iri, ["not faced"] * len(results))[index] = f"{gap.layer} gap"
        for covered in result.covered:
            labels[covered.problem.iri] = covered.problem
            standing.setdefault(covered.problem.iri, ["not faced"] * len(results))[index] = "covered"
    rows = [ProblemRow(labels[p], tuple(cells)) for p, cells in standing.items()]
    return tuple(sorted(rows, key=lambda r: (not r.differs, -r.cells.count("own gap") - r.cells.count("indicated gap"),
                                             r.problem.label, r.problem.iri)))


def _statistic_rows(results: Sequence[RegionGaps]) -> tuple[StatisticRow, ...]:
    values: dict[str, list[str | None]] = {}
    for index, result in enumerate(results):
        for item in result.statistics:
            if item.region.iri == result.region.iri and item.through is None:  # the region's own figures only
                key = item.statistic.measure + (f" ({item.statistic.period})" if item.statistic.period else "")
                values.setdefault(key, [None] * len(results))[index] = _figure(item.statistic)
    return tuple(StatisticRow(measure, tuple(cells)) for measure, cells in sorted(values.items()))


def _figure(statistic: Statistic) -> str:
    """The number of a statistic with its unit, for a cell under its measure: "52.4%", "21", "85,030,000,000 yuan".

    >>> _figure(Statistic("q", "share: 52.4%", "share", 52.4, "percent"))
    '52.4%'
    >>> _figure(Statistic("q", "21 cities", "cities", 21.0, "count", target=True))
    '21 (target)'
    """
    number = f"{statistic.value:,.0f}" if statistic.value == int(statistic.value) else f"{statistic.value:,}"
    text = number + ("%" if statistic.unit == "percent" else "" if statistic.unit == "count" else f" {statistic.unit}")
    return text + (" (target)" if statistic.target else "")
