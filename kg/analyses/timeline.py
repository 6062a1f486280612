"""Timelines: policies per year, issuing body and genre; the co-issuance network year by year; and the
first and last policy that establishes each mechanism."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import networkx as nx

from kg.projection import SEIKG, Projections
from kg.analyses.method import Method

__all__ = ["CoIssuanceYear", "MechanismSpan", "PolicyEntry", "PolicyTimeline", "Timeline", "YearCount", "build_timeline",
           "list_policies_by_date"]

UNDATED = "undated"


@dataclass(frozen=True)
class YearCount:
    """Policies issued in one year, in total and by issuing body and genre (labels)."""

    year: str
    policies: int
    by_issuer: dict[str, int]
    by_genre: dict[str, int]


@dataclass(frozen=True)
class CoIssuanceYear:
    """The co-issuance network as it stood at the end of ``year`` (cumulative), and what the year added."""

    year: str
    actors: int
    ties: int
    new_ties: int
    joint_policies: int
    density: float


@dataclass(frozen=True)
class MechanismSpan:
    """The first and last dated policy that establishes a mechanism."""

    iri: str
    label: str
    policies: int
    first_date: str
    first_policy: str
    first_policy_label: str
    last_date: str
    last_policy: str
    last_policy_label: str


@dataclass(frozen=True)
class Timeline:
    """Every timeline; years are the first four characters of the earliest ``dcterms:issued``."""

    years: tuple[YearCount, ...]
    co_issuance: tuple[CoIssuanceYear, ...]
    mechanisms: tuple[MechanismSpan, ...]
    undated_policies: tuple[str, ...]
    method: Method


def build_timeline(projections: Projections) -> Timeline:
    """Policies over time, the co-issuance network over time, and each mechanism's first and last policy.

    A policy with two recorded dates (a recorded conflict) counts under the earlier one.
    """
    entity = projections.entity
    policies = projections.nodes_of("policy")
    dated = {p: entity.nodes[p]["date"] for p in policies if entity.nodes[p]["date"]}
    per_year: defaultdict[str, list[str]] = defaultdict(list)
    for policy, date in dated.items():
        per_year[date[:4]].append(policy)
    years = []
    for year in sorted(per_year):
        issuers: Counter[str] = Counter()
        genres: Counter[str] = Counter()
        for policy in per_year[year]:
            issuers.update(projections.label(a) for a in projections.targets(policy, "issuedBy"))
            genres.update(t.removeprefix(SEIKG) for t in entity.nodes[policy]["types"] or (SEIKG + "PolicyDocument",))
        years.append(YearCount(year, len(per_year[year]), dict(sorted(issuers.items(), key=lambda i: (-i[1], i[0]))),
                               dict(sorted(genres.items(), key=lambda i: (-i[1], i[0])))))
    return Timeline(tuple(years), _co_issuance_by_year(projections, per_year), _mechanism_spans(projections, dated),
                    tuple(p for p in policies if p not in dated), Method(
                        "policies grouped by the year of their earliest dcterms:issued; co-issuance ties "
                        "accumulated year by year; establishing policies ordered by date",
                        projection="entity", algorithm="grouping over the entity projection's issuedBy and "
                                                       "establishesMechanism links",
                        sparql=None))


def _co_issuance_by_year(projections: Projections, per_year: dict[str, list[str]]) -> tuple[CoIssuanceYear, ...]:
    graph = nx.Graph()
    rows = []
    for year in sorted(per_year):
        before = graph.number_of_edges()
        joint = 0
        for policy in sorted(per_year[year]):
            issuers = projections.targets(policy, "issuedBy")
            graph.add_nodes_from(issuers)
            joint += len(issuers) > 1
            graph.add_edges_from((a, b) for i, a in enumerate(issuers) for b in issuers[i + 1:])
        rows.append(CoIssuanceYear(year, graph.number_of_nodes(), graph.number_of_edges(),
                                   graph.number_of_edges() - before, joint, round(nx.density(graph), 6)))
    return tuple(rows)


def _mechanism_spans(projections: Projections, dated: dict[str, str]) -> tuple[MechanismSpan, ...]:
    spans = []
    for mechanism in projections.nodes_of("mechanism"):
        established = sorted((dated[p], p) for p in projections.sources(mechanism, "establishesMechanism")
                             if p in dated)
        if not established:
            continue
        (first_date, first), (last_date, last) = established[0], established[-1]
        spans.append(MechanismSpan(mechanism, projections.label(mechanism), len(established), first_date, first,
                                   projections.label(first), last_date, last, projections.label(last)))
    return tuple(sorted(spans, key=lambda s: (s.first_date, s.label)))


@dataclass(frozen=True)
class PolicyEntry:
    """One policy on the timeline, with its dates as recorded (``precision``: year, month or day)."""

    iri: str
    label: str
    date: str | None
    precision: str | None
    dates: tuple[str, ...]
    genre: str
    issuers: tuple[tuple[str, str], ...]  # (IRI, label)


@dataclass(frozen=True)
class PolicyTimeline:
    """Policies in date order (undated last), the filters applied, and what one can filter by."""

    entries: tuple[PolicyEntry, ...]
    issuer: str | None
    genre: str | None
    issuers: tuple[tuple[str, str], ...]
    genres: tuple[str, ...]


_PRECISION = {4: "year", 7: "month", 10: "day"}


def list_policies_by_date(projections: Projections, *, issuer: str | None = None,
                          genre: str | None = None) -> PolicyTimeline:
    """Every policy by date, optionally only those issued by ``issuer`` (an IRI) or of ``genre`` (a class name).

    A date is kept at the precision the source gives: 2019-04 is a month, never 2019-04-01.
    """
    entity = projections.entity
    entries = []
    for policy in projections.nodes_of("policy"):
        data = entity.nodes[policy]
        genre_name = next((t.removeprefix(SEIKG) for t in data["types"]), "PolicyDocument")
        issuers = tuple((a, projections.label(a)) for a in projections.targets(policy, "issuedBy"))
        entries.append(PolicyEntry(policy, data["label"], data["date"],
                                   _PRECISION.get(len(data["date"])) if data["date"] else None, data["dates"],
                                   genre_name, issuers))
    every_issuer = tuple(sorted({i for e in entries for i in e.issuers}, key=lambda i: (i[1], i[0])))
    genres = tuple(sorted({e.genre for e in entries}))
    kept = [e for e in entries if (issuer is None or issuer in {i for i, _ in e.issuers})
            and (genre is None or e.genre == genre)]
    kept.sort(key=lambda e: (e.date is None, e.date or "", e.label))
    return PolicyTimeline(tuple(kept), issuer, genre, every_issuer, genres)
