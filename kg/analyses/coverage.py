"""Coverage: problems that no mechanism, one mechanism, or only unestablished proposals address; and the
components of each mechanism framework that no policy establishes and no actor implements."""
from __future__ import annotations

from dataclasses import dataclass

from kg.projection import Projections
from kg.sparql.queries import bind_values, load_query, strip_comments
from kg.analyses.gaps import Ref
from kg.analyses.method import Method, cross_source_note

__all__ = ["ComponentStatus", "FrameworkCoverage", "ProblemCoverage", "ProblemStatus", "cover_frameworks",
           "cover_problems"]


@dataclass(frozen=True)
class ProblemStatus:
    """A problem and the mechanisms that address it (each marked established or not)."""

    iri: str
    label: str
    identified_by: tuple[Ref, ...]
    mechanisms: tuple[Ref, ...]
    established: tuple[Ref, ...]


@dataclass(frozen=True)
class ProblemCoverage:
    """Orphan, fragile and proposal-only problems."""

    problems: int
    orphans: tuple[ProblemStatus, ...]
    fragile: tuple[ProblemStatus, ...]
    proposals_only: tuple[ProblemStatus, ...]
    method: Method


@dataclass(frozen=True)
class ComponentStatus:
    """One component of a framework: whether it is top-level, and who establishes or implements it."""

    iri: str
    label: str
    top: bool
    broader: tuple[Ref, ...]
    established_by: tuple[Ref, ...]
    implemented_by: tuple[Ref, ...]

    @property
    def covered(self) -> bool:
        """True if a policy establishes it or an actor implements it."""
        return bool(self.established_by or self.implemented_by)


@dataclass(frozen=True)
class FrameworkCoverage:
    """A paper's mechanism framework, its components, and the uncovered ones."""

    iri: str
    label: str
    proposed_by: tuple[Ref, ...]
    components: tuple[ComponentStatus, ...]
    uncovered: tuple[Ref, ...]
    method: Method


def cover_problems(projections: Projections) -> ProblemCoverage:
    """Every problem's cover: orphans (no mechanism), fragile (one), and proposals only (none established)."""
    statuses = []
    for problem in projections.nodes_of("problem"):
        mechanisms = projections.sources(problem, "addressesProblem")
        established = [m for m in mechanisms if projections.sources(m, "establishesMechanism")]
        statuses.append(ProblemStatus(problem, projections.label(problem),
                                      _refs(projections, projections.sources(problem, "identifiesProblem")),
                                      _refs(projections, mechanisms), _refs(projections, established)))
    order = sorted(statuses, key=lambda s: (s.label, s.iri))
    return ProblemCoverage(
        len(statuses), tuple(s for s in order if not s.mechanisms), tuple(s for s in order if len(s.mechanisms) == 1),
        tuple(s for s in order if s.mechanisms and not s.established),
        Method("for each problem, the mechanisms that address it and which of them some policy establishes; "
               "orphans have none, fragile problems exactly one, proposal-only problems none established; "
               + cross_source_note(projections),
               projection="entity", algorithm="kg.analyses.coverage.cover_problems",
               parameters={"cross_source": "include" if projections.cross_source else "exclude"},
               sparql=strip_comments(bind_values(load_query("problem_coverage"), {
                   "crossSource": ("boolean", "true" if projections.cross_source else "false")}))))


def cover_frameworks(projections: Projections) -> tuple[FrameworkCoverage, ...]:
    """For each mechanism framework, each component's cover and the components nobody establishes or implements."""
    result = []
    for framework in projections.nodes_of("framework"):
        tops = set(projections.targets(framework, "hasTopConcept"))
        members = sorted(tops | set(projections.sources(framework, "inScheme")),
                         key=lambda m: (m not in tops, projections.label(m), m))
        components = tuple(ComponentStatus(
            m, projections.label(m), m in tops, _refs(projections, projections.targets(m, "broader")),
            _refs(projections, projections.sources(m, "establishesMechanism")),
            _refs(projections, projections.sources(m, "implementsMechanism"))) for m in members)
        result.append(FrameworkCoverage(
            framework, projections.label(framework),
            _refs(projections, projections.targets(framework, "source")),
            components, tuple(Ref(c.iri, c.label) for c in components if not c.covered),
            Method("the framework's components (skos:inScheme, skos:hasTopConcept) and, for each, the policies "
                   "that establish it and the actors that implement it; uncovered components have neither",
                   projection="entity", algorithm="kg.analyses.coverage.cover_frameworks",
                   sparql=strip_comments(load_query("framework_coverage")))))
    return tuple(result)


def _refs(projections: Projections, iris: list[str]) -> tuple[Ref, ...]:
    return tuple(Ref(i, projections.label(i)) for i in sorted(set(iris), key=lambda i: (projections.label(i), i)))
