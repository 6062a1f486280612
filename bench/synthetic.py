"""A seeded, deterministic generator of synthetic seikg graphs with the real data's shape.

Policies with 1-3 issuers, dates at year / month / day precision, genres,
mechanisms with sub-mechanisms, problems, regions in a 4-level hierarchy,
actors located in regions and implementing mechanisms, mechanism frameworks,
and an evidence node (8 triples) for every link, as in the curated data.

    python bench/synthetic.py --triples 100000 -o /tmp/synthetic-100k.nq
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

BASE = "https://w3id.org/seikg/"
S = "https://w3id.org/seikg/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
GRAPH = f"<{BASE}graph/data>"
GENRES = ["Notice", "Opinions", "Plan", "Outline", "Measures", "Standards", "Decision", "Report"]


class _Writer:
    def __init__(self, out) -> None:  # noqa: ANN001
        self.out, self.count, self.evidence = out, 0, 0

    def quad(self, s: str, p: str, o: str) -> None:
        self.out.write(f"{s} {p} {o} {GRAPH} .\n")
        self.count += 1

    def link(self, s: str, p: str, o: str, source: str, rng: random.Random) -> None:
        self.quad(s, p, o)
        self.evidence += 1
        e = f"<{BASE}id/evidence/s{self.evidence}>"
        for predicate, value in ((f"<{RDF}type>", f"<{S}Evidence>"), (f"<{RDF}subject>", s),
                                 (f"<{RDF}predicate>", p), (f"<{RDF}object>", o), (f"<{S}inSource>", source),
                                 (f"<{S}section>", f'"{rng.randint(1, 5)}.{rng.randint(1, 4)}"'),
                                 (f"<{S}anchor>", f'"anchor phrase {self.evidence}"'),
                                 (f"<{S}support>", f"<{S}{rng.choice(['Stated', 'Stated', 'Implied'])}>")):
            self.quad(e, predicate, value)


def _entity(w: _Writer, kind: str, ident: str, cls: str, label: str, extra_class: str | None = None) -> str:
    iri = f"<{BASE}id/{kind}/{ident}>"
    w.quad(iri, f"<{RDF}type>", f"<{S}{cls}>")
    if extra_class:
        w.quad(iri, f"<{RDF}type>", f"<{S}{extra_class}>")
    w.quad(iri, f"<{RDFS}label>", f'"{label}"@en')
    return iri


def generate(triples: int, out, *, seed: int = 7) -> int:  # noqa: ANN001
    """Write about ``triples`` N-Quads to ``out``; returns the exact count."""
    rng = random.Random(seed)
    w = _Writer(out)
    scale = max(1, triples // 60)  # one policy brings about 60 triples with its evidence
    sources = [_entity(w, "source", f"paper-{i}", "Source", f"Synthetic paper {i}") for i in range(max(5, scale // 200))]
    regions = [_entity(w, "region", "country", "Region", "Country", "Country")]
    level_sizes = [("MacroRegion", 4), ("Province", 30), ("City", max(30, scale // 20))]
    previous = regions
    for cls, size in level_sizes:
        level = []
        for i in range(size):
            r = _entity(w, "region", f"{cls.lower()}-{i}", "Region", f"{cls} {i}", cls)
            w.link(r, f"<{S}partOfRegion>", rng.choice(previous), rng.choice(sources), rng)
            level.append(r)
        regions += level
        previous = level
    actors = [_entity(w, "actor", f"actor-{i}", "Actor", f"Actor {i}", "GovernmentBody")
              for i in range(max(20, scale // 30))]
    problems = []
    for i in range(max(20, scale // 10)):
        p = _entity(w, "problem", f"problem-{i}", "Problem", f"Problem {i}")
        if problems and rng.random() < 0.6:
            w.link(p, f"<{SKOS}broader>", rng.choice(problems), rng.choice(sources), rng)
        w.link(rng.choice(sources), f"<{S}identifiesProblem>", p, rng.choice(sources), rng)
        problems.append(p)
    for r in rng.sample(regions, k=min(len(regions), max(10, len(regions) // 3))):
        w.link(r, f"<{S}facesProblem>", rng.choice(problems), rng.choice(sources), rng)
    mechanisms = []
    for i in range(max(30, scale // 5)):
        m = _entity(w, "mechanism", f"mechanism-{i}", "Mechanism", f"Mechanism {i}")
        if mechanisms and rng.random() < 0.7:
            w.link(m, f"<{SKOS}broader>", rng.choice(mechanisms), rng.choice(sources), rng)
        w.link(m, f"<{S}addressesProblem>", rng.choice(problems), rng.choice(sources), rng)
        w.link(m, f"<{S}involvesActor>", rng.choice(actors), rng.choice(sources), rng)
        w.link(rng.choice(sources), f"<{S}proposesMechanism>", m, rng.choice(sources), rng)
        mechanisms.append(m)
    extra = random.Random(seed + 1)  # a second stream, so the entities above stay as they were
    for actor in actors:
        w.link(actor, f"<{S}locatedIn>", extra.choice(regions), extra.choice(sources), extra)
        for mechanism in extra.sample(mechanisms, k=extra.randint(0, 2)):
            w.link(actor, f"<{S}implementsMechanism>", mechanism, extra.choice(sources), extra)
    for f in range(max(2, scale // 2000)):
        framework = _entity(w, "framework", f"framework-{f}", "MechanismFramework", f"Framework {f}")
        w.quad(framework, f"<{DCT}source>", extra.choice(sources))
        for top in extra.sample(mechanisms, k=min(len(mechanisms), 4)):
            w.quad(framework, f"<{SKOS}hasTopConcept>", top)
            w.quad(top, f"<{SKOS}inScheme>", framework)
    i = 0
    while w.count < triples:
        genre = rng.choice(GENRES)
        p = _entity(w, "policy", f"policy-{i}", "PolicyDocument", f"{genre} on integration {i}", genre)
        year = rng.randint(1990, 2025)
        date = rng.choice([f'"{year}"^^<http://www.w3.org/2001/XMLSchema#gYear>',
                           f'"{year}-{rng.randint(1, 12):02d}"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>',
                           f'"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"'
                           f'^^<http://www.w3.org/2001/XMLSchema#date>'])
        source = rng.choice(sources)
        w.link(p, f"<{DCT}issued>", date, source, rng)
        for actor in rng.sample(actors, k=rng.randint(1, 3)):
            w.link(p, f"<{S}issuedBy>", actor, source, rng)
        for mechanism in rng.sample(mechanisms, k=rng.randint(1, 3)):
            w.link(p, f"<{S}establishesMechanism>", mechanism, source, rng)
        w.link(p, f"<{S}appliesToRegion>", rng.choice(regions), source, rng)
        i += 1
    return w.count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    with args.output.open("w", encoding="utf-8") as out:
        count = generate(args.triples, out, seed=args.seed)
    print(f"wrote {count} quads to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
