"""Analysis results as titled tables of plain strings, for the CLI's ``table`` and ``csv`` output."""
from __future__ import annotations

import csv
import dataclasses
import io
from dataclasses import dataclass

from kg.model.records import Evidence
from kg.analyses.centrality import CentralityResult
from kg.analyses.communities import CommunityResult, StructuralHoles
from kg.analyses.comparison import RegionComparison
from kg.analyses.coverage import FrameworkCoverage, ProblemCoverage
from kg.analyses.gaps import RegionGaps
from kg.analyses.timeline import Timeline

__all__ = ["Table", "gap_rows", "tables_to_csv", "tabulate"]


@dataclass(frozen=True)
class Table:
    """A titled table; ``note`` is printed under it (how to re-run the result)."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


def _cite(evidence: tuple[Evidence, ...]) -> str:
    return "; ".join(f"{e.source.rsplit('/', 1)[-1]} §{e.section}: \u201c{e.anchor}\u201d"
                     + ("" if e.support == "stated" else f" ({e.support})") for e in evidence)


def tabulate(result: object) -> list[Table]:
    """The tables that show ``result`` (any result type of :mod:`kg.analyses`).

    Raises
    ------
    TypeError
        If ``result`` is neither an analysis result nor a dataclass (which gets one table of its fields).
    """
    if isinstance(result, CentralityResult):
        return [Table(f"{r.measure} on the {result.projection} projection, among {r.kind}",
                      ("rank", "score", "label", "kind"),
                      tuple((str(s.rank), f"{s.value:.6f}", s.label, s.kind or "") for s in r.top),
                      f"high score: {r.explanation}") for r in result.rankings]
    if isinstance(result, CommunityResult):
        return [Table(f"Louvain communities of the {result.projection} projection (modularity "
                      f"{result.modularity:.4f})", ("community", "size", "kinds", "best-linked members"),
                      tuple((str(c.index), str(c.size), ", ".join(f"{k} {n}" for k, n in c.kinds.items()),
                             "; ".join(m.label for m in c.members[:5])) for c in result.communities),
                      result.method.algorithm or "")]
    if isinstance(result, StructuralHoles):
        return [Table("structural holes among co-issuing actors (Burt's constraint, lowest first)",
                      ("rank", "constraint", "effective size", "ties", "actor"),
                      tuple((str(b.rank), f"{b.constraint:.4f}", f"{b.effective_size:.2f}", str(b.ties), b.label)
                            for b in result.brokers),
                      f"{result.explanation}; {result.isolated} actors never co-issue and are left out")]
    if isinstance(result, Timeline):
        return [Table("policies per year", ("year", "policies", "issuers", "genres"), tuple(
            (y.year, str(y.policies), ", ".join(f"{k} {v}" for k, v in y.by_issuer.items()),
             ", ".join(f"{k} {v}" for k, v in y.by_genre.items())) for y in result.years),
            f"undated policies: {len(result.undated_policies)}"),
            Table("co-issuance network over time (cumulative)",
                  ("year", "actors", "ties", "new ties", "joint policies", "density"),
                  tuple((c.year, str(c.actors), str(c.ties), str(c.new_ties), str(c.joint_policies),
                         f"{c.density:.4f}") for c in result.co_issuance)),
            Table("first and last policy establishing each mechanism",
                  ("mechanism", "policies", "first", "first policy", "last", "last policy"),
                  tuple((m.label, str(m.policies), m.first_date, m.first_policy_label, m.last_date,
                         m.last_policy_label) for m in result.mechanisms))]
    if isinstance(result, RegionGaps):
        return _gap_tables(result)
    if isinstance(result, ProblemCoverage):
        return [Table(f"{title} ({len(items)} of {result.problems} problems)",
                      ("problem", "mechanisms", "established", "identified by"),
                      tuple((s.label, "; ".join(m.label for m in s.mechanisms) or "-",
                             "; ".join(m.label for m in s.established) or "-",
                             ", ".join(i.iri.rsplit("/", 1)[-1] for i in s.identified_by)) for s in items),
                      result.method.description if title.startswith("proposal") else "")
                for title, items in (("orphan problems: no mechanism addresses them", result.orphans),
                                     ("fragile problems: exactly one mechanism", result.fragile),
                                     ("proposal-only problems: no addressing mechanism is established",
                                      result.proposals_only))]
    if isinstance(result, tuple) and all(isinstance(f, FrameworkCoverage) for f in result):
        return [Table(f"{f.label} ({len(f.uncovered)} of {len(f.components)} components uncovered)",
                      ("component", "top", "established by", "implemented by"),
                      tuple((c.label, "yes" if c.top else "", "; ".join(p.label for p in c.established_by) or "-",
                             "; ".join(a.label for a in c.implemented_by) or "-") for c in f.components),
                      "proposed by " + ", ".join(s.label for s in f.proposed_by)) for f in result]
    if isinstance(result, RegionComparison):
        names = tuple(c.region.label for c in result.regions)
        return [Table("regional statistics", ("measure",) + names,
                      tuple((row.measure,) + tuple(c or "-" for c in row.cells) for row in result.statistics)),
                Table("problems, those that differ first", ("problem",) + names,
                      tuple((row.problem.label,) + row.cells for row in result.problems)),
                Table("mechanism-by-region coverage, rows that differ first", ("mechanism",) + names,
                      tuple((row.mechanism.label,) + tuple(
                          c.status + (f" ({'; '.join(c.via[:2])})" if c.via else "") for c in row.cells)
                          for row in result.rows),
                      "; ".join(f"{c.region.label}: {c.problems_faced} problems ({c.own_problems} its own), "
                                f"{c.mechanisms_present} mechanisms present, {c.gaps} gaps ({c.own_gaps} its own)"
                                for c in result.regions))]
    if dataclasses.is_dataclass(result) and not isinstance(result, type):  # an analysis with no tables of its own
        return [Table(type(result).__name__, ("field", "value"),
                      tuple((f.name, str(getattr(result, f.name))) for f in dataclasses.fields(result)))]
    raise TypeError(f"not an analysis result: {type(result).__name__}")


def _gap_tables(result: RegionGaps) -> list[Table]:
    scope = " < ".join([result.region.label] + [a.label for a in result.ancestors])
    gaps = []
    for gap in result.gaps:
        why = gap.why
        where = "; ".join(f"{f.region.label}: {_cite(f.evidence)}" for f in gap.faced_in)
        candidates = "; ".join(f"{c.rank}. {c.label} [{len(c.proposed_by)} source(s), {c.established_by} "
                               f"polic{'y' if c.established_by == 1 else 'ies'}]" for c in gap.candidates[:3])
        near = "; ".join(f"{n.mechanism.label} (addresses the {n.relation} problem {n.addresses.label})"
                         for n in gap.near_misses)
        gaps.append((f"{gap.problem.label} [{why}, {gap.strength}]", where, candidates or "none in the graph (orphan)",
                     near or "-"))
    present = tuple((m.label, "; ".join(f"{v.kind} {v.through.label} ({v.region.label})" for v in m.via[:3])
                     + (f" and {len(m.via) - 3} more" if len(m.via) > 3 else ""),
                     "; ".join(p.label for p in m.addresses) or "no recorded problem") for m in result.present)
    return [Table(f"gaps of {result.region.label} ({len(result.gaps)} of {result.problems_faced} faced problems, "
                  f"{result.own_gaps} of its own; scope {scope})",
                  ("problem [why it applies, strength]", "faced through (source §section: anchor)",
                   "top candidates from the literature", "near misses"), tuple(gaps),
                  "re-run with SPARQL (kg/sparql/queries/region_gaps.rq, region bound):\n" + (result.method.sparql or "")),
            Table(f"mechanisms present in {result.region.label} (why none covers a gap: what each addresses)",
                  ("mechanism", "present through", "addresses"), present),
            Table(f"covered problems of {result.region.label}", ("problem", "covered by"),
                  tuple((c.problem.label, "; ".join(m.label for m in c.mechanisms)) for c in result.covered)),
            Table(f"statistics of {result.region.label} and the places inside it", ("place", "fact", "source"),
                  tuple((s.region.label + (f" ({s.through_kind}: {s.through.label})" if s.through else ""), s.statistic.sentence,
                         _cite(s.statistic.evidence))
                        for s in result.statistics))]


def gap_rows(result: RegionGaps) -> Table:
    """A region's gaps as one flat table, a field per column, for CSV: the problem, why it applies, the
    evidence, the candidates with the sources that propose them, and the near misses."""
    rows = tuple((
        gap.problem.iri.rsplit("/", 1)[-1], gap.problem.label, gap.layer, gap.why,
        gap.inherited_from.label if gap.inherited_from else "", gap.strength, _cite(
            tuple(e for f in gap.faced_in for e in f.evidence)),
        "; ".join(f"{c.label} ({', '.join(s.iri.rsplit('/', 1)[-1] for s in c.proposed_by) or 'no source'})"
                  for c in gap.candidates),
        str(gap.remedy_sources),
        "; ".join(f"{n.mechanism.label} ({n.relation}: {n.addresses.label})" for n in gap.near_misses),
        "yes" if gap.orphan else "") for gap in result.gaps)
    return Table(f"gaps of {result.region.label}", ("problem id", "problem", "layer", "why it applies",
                                                    "inherited from", "strength",
                                                    "evidence", "candidates (proposed by)", "sources proposing a remedy",
                                                    "near misses", "orphan"), rows)


def tables_to_csv(tables: list[Table], *, titled: bool = True) -> str:
    """Tables as CSV; with ``titled``, a first column names each row's table (several tables in one file)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for table in tables:
        writer.writerow((("table",) if titled else ()) + table.columns)
        writer.writerows(((table.title,) if titled else ()) + row for row in table.rows)
    return out.getvalue()
