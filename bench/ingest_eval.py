"""Leave-one-out evaluation of `seikg ingest` on the five seed papers.

    python bench/ingest_eval.py                 # prints the tables; writes bench/results/ingest-eval.json
    python bench/ingest_eval.py --markdown      # the tables for docs/ingestion.md, from the JSON

For each seed paper P:

1. the curated graph is built from data/, and P's curated entries are removed: every evidence node that
   cites P, and every entity left with no evidence from another source (an entity that only P names);
2. the gazetteer is built from what remains (plus the shipped places), and P's text is ingested with it;
3. the draft is compared with P's curated entries: every entity, link, issuer and date with evidence
   citing P.

A proposal counts as a curated entity when it was matched to that known entity, or, for a new entity,
when its label matches the curated label or an alternative label (rapidfuzz token-sort ratio >= 85, after
normalising case, articles, hyphens and plurals), or when one of its anchors overlaps one of the entity's
anchors from P in the same section (one contains the other, or they share five consecutive words).
A link counts when its two ends count as the curated link's two ends and its predicate is the same.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rdflib import Graph, URIRef  # noqa: E402
from rdflib.namespace import ORG, RDF, RDFS, SKOS  # noqa: E402

from kg.checks.validate import union_graph  # noqa: E402
from kg.model.vocab import SEIKG  # noqa: E402

KINDS = ("policies", "actors", "regions", "mechanisms", "problems")
#: draft field -> the contract predicate it becomes (and whether it is written on the target's side)
FIELDS = {"issued_by": SEIKG.issuedBy, "establishes": SEIKG.establishesMechanism,
          "applies_to": SEIKG.appliesToRegion, "addresses": SEIKG.addressesProblem,
          "involves": SEIKG.involvesActor, "located_in": SEIKG.locatedIn, "faces": SEIKG.facesProblem,
          "causes": SEIKG.hasCause, "broader": SKOS.broader, "part_of": SEIKG.partOfRegion,
          "implements": SEIKG.implementsMechanism}
_LINKS = set(FIELDS.values()) | {ORG.subOrganizationOf}
TARGETS = {"recall": {"policies": 0.9, "issuers": 0.9, "dates": 0.9, "actors": 0.7, "regions": 0.7,
                      "mechanisms": 0.7, "problems": 0.7, "links": 0.5},
           "precision": {"policies": 0.8, "issuers": 0.8, "dates": 0.8, "actors": 0.7, "regions": 0.7,
                         "mechanisms": 0.7, "problems": 0.7}}


@dataclass
class Truth:
    """What the curated data says that paper P supports."""

    entities: dict[str, dict[str, dict]]   # kind -> id -> {"names": [...], "anchors": [(section, anchor)]}
    links: set[tuple[str, str, str]]       # (subject id, predicate IRI, object id)
    issuers: set[tuple[str, str]]
    dates: set[tuple[str, str]]


def _id(term: object) -> str:
    return str(term).rsplit("/", 1)[-1]


def evidence_by_entity(graph: Graph) -> dict[URIRef, list[tuple[str, str, str, URIRef, URIRef, object]]]:
    """Entity -> every evidence that mentions it: (source id, section, anchor, subject, predicate, object)."""
    out: dict[URIRef, list] = {}
    for evidence in graph.subjects(RDF.type, SEIKG.Evidence):
        s, p, o = (graph.value(evidence, RDF.subject), graph.value(evidence, RDF.predicate),
                   graph.value(evidence, RDF.object))
        source = _id(graph.value(evidence, SEIKG.inSource))
        row = (source, str(graph.value(evidence, SEIKG.section)), str(graph.value(evidence, SEIKG.anchor)), s, p, o)
        for end in (s, o):
            if isinstance(end, URIRef):
                out.setdefault(end, []).append(row)
    return out


def kind_of(graph: Graph, entity: URIRef) -> str | None:
    """The ingest kind of an entity, from its class."""
    from kg.ingest.gazetteer import KIND_CLASSES
    types = set(graph.objects(entity, RDF.type))
    return next((kind for kind, cls in KIND_CLASSES.items() if cls in types), None)


def truth_for(graph: Graph, evidence: dict, source: str) -> Truth:
    """Paper ``source``'s curated entities, links, issuers and dates."""
    entities: dict[str, dict[str, dict]] = {k: {} for k in KINDS}
    links, issuers, dates = set(), set(), set()
    for entity, rows in evidence.items():
        kind = kind_of(graph, entity)
        mine = [r for r in rows if r[0] == source]
        if kind is None or not mine:
            continue
        names = [str(o) for o in graph.objects(entity, RDFS.label)] + [str(o) for o in graph.objects(entity, SKOS.altLabel)]
        entities[kind][_id(entity)] = {"names": names, "anchors": [(r[1], r[2]) for r in mine]}
        for _, _, _, s, p, o in mine:
            if p in _LINKS and isinstance(o, URIRef) and s == entity:
                links.add((_id(s), str(p), _id(o)))
            if p == SEIKG.issuedBy and s == entity:
                issuers.add((_id(s), _id(o)))
    for evidence_node in graph.subjects(SEIKG.inSource, URIRef(f"https://w3id.org/seikg/id/source/{source}")):
        if graph.value(evidence_node, RDF.predicate) == URIRef("http://purl.org/dc/terms/issued"):
            dates.add((_id(graph.value(evidence_node, RDF.subject)), str(graph.value(evidence_node, RDF.object))))
    return Truth(entities, links, issuers, dates)


def heldout_graph(graph: Graph, evidence: dict, source: str) -> Graph:
    """The graph without paper ``source``: only entities with evidence from another source, and only their
    type, labels and hierarchy (what a gazetteer reads)."""
    kept = Graph()
    for entity, rows in evidence.items():
        if kind_of(graph, entity) is None or not any(r[0] != source for r in rows):
            continue
        for p in (RDF.type, RDFS.label, SKOS.altLabel, SEIKG.partOfRegion):
            for o in graph.objects(entity, p):
                if p != SEIKG.partOfRegion or any(r[0] != source for r in evidence.get(o, [])):
                    kept.add((entity, p, o))
    return kept


def _overlaps(a: str, b: str) -> bool:
    from kg.build.anchors import normalise_space
    a, b = normalise_space(a).lower(), normalise_space(b).lower()
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    words = a.split()
    return any(" ".join(words[i:i + 5]) in b for i in range(0, max(0, len(words) - 4)))


def resolve(proposal, truth: Truth) -> str | None:  # noqa: ANN001 - a kg.ingest.extract.Proposal
    """The curated id a proposal stands for, or None (a false positive)."""
    from rapidfuzz import fuzz

    from kg.ingest.gazetteer import normalise_name
    if proposal.match is not None:
        return proposal.match.known.id
    wanted = normalise_name(proposal.label)
    best, best_score = None, 0.0
    candidates = sorted(truth.entities[proposal.kind].items())  # ties go the same way in every run
    for ident, entry in candidates:
        score = max((fuzz.token_sort_ratio(wanted, normalise_name(n)) for n in entry["names"]), default=0)
        if score > best_score:
            best, best_score = ident, score
    if best_score >= 85:
        return best
    for ident, entry in candidates:
        if any(a.section == sec and _overlaps(a.phrase, text) for a in proposal.anchors for sec, text in entry["anchors"]):
            return ident
    return None


def _pr(found: set, proposed: int, truth: set) -> dict:
    hits = len(found & truth)
    return {"truth": len(truth), "proposed": proposed, "correct": hits,
            "recall": round(hits / len(truth), 3) if truth else None,
            "precision": round(len(found & truth) / proposed, 3) if proposed else None}


def score(proposals, truth: Truth) -> dict:  # noqa: ANN001 - a kg.ingest.extract.Proposals
    """Precision and recall per kind, for links, issuers and dates."""
    resolved: dict[tuple[str, str], str | None] = {}
    out: dict[str, dict] = {}
    for kind in KINDS:
        items = proposals.of_kind(kind)
        ids = []
        for p in items:
            ident = resolve(p, truth)
            resolved[(kind, p.ref[0])] = ident
            ids.append(ident)
        correct = {i for i in ids if i in truth.entities[kind]}
        out[kind] = {"truth": len(truth.entities[kind]), "proposed": len(items),
                     "correct": sum(1 for i in ids if i in truth.entities[kind]),
                     "recall": round(len(correct) / len(truth.entities[kind]), 3) if truth.entities[kind] else None,
                     "precision": round(sum(1 for i in ids if i in truth.entities[kind]) / len(items), 3)
                     if items else None}
    links, issuers, dates = set(), set(), set()
    for kind in KINDS:
        for p in proposals.of_kind(kind):
            subject = resolved.get((kind, p.ref[0]))
            for link in p.links:
                target = resolved.get((link.target_kind, link.target), link.target if link.known else None)
                if subject and target and link.field in FIELDS:
                    links.add((subject, str(FIELDS[link.field]), target))
                    if link.field == "issued_by":
                        issuers.add((subject, target))
            for value, _, _ in p.values.get("issued", []):
                if subject:
                    dates.add((subject, value))
    proposed_links = sum(len(p.links) for k in KINDS for p in proposals.of_kind(k))
    out["links"] = _pr(links, proposed_links, truth.links)
    out["issuers"] = _pr(issuers, sum(1 for p in proposals.of_kind("policies") for l in p.links
                                      if l.field == "issued_by"), truth.issuers)
    out["dates"] = _pr(dates, sum(len(p.values.get("issued", [])) for p in proposals.of_kind("policies")),
                       truth.dates)
    return out


def evaluate(data_settings=None, *, actor_kinds: bool = True) -> dict:  # noqa: ANN001
    """Run the leave-one-out evaluation over every seed paper; per paper and in total. ``actor_kinds``
    False leaves the shipped list of generic actor kinds out of the gazetteer."""
    from kg.config import Settings
    from kg.ingest.extract import extract
    from kg.ingest.gazetteer import Gazetteer
    from kg.ingest.text import read_document
    from kg.build.loader import build_dataset

    settings = data_settings or Settings()
    graph = union_graph(build_dataset(settings).dataset)
    evidence = evidence_by_entity(graph)
    papers = {_id(s): str(graph.value(s, SEIKG.seedFile)) for s in graph.subjects(RDF.type, SEIKG.Source)
              if graph.value(s, SEIKG.seedFile) is not None}
    results: dict = {"papers": {}}
    for source, seed in sorted(papers.items()):
        truth = truth_for(graph, evidence, source)
        gazetteer = Gazetteer.from_graph(heldout_graph(graph, evidence, source), settings.base_iri,
                                         actor_kinds=actor_kinds)
        proposals = extract(read_document(Path(settings.seeds_dir) / seed), source, gazetteer)
        results["papers"][source] = score(proposals, truth)
    total: dict = {}
    for part in (*KINDS, "links", "issuers", "dates"):
        t = sum(r[part]["truth"] for r in results["papers"].values())
        p = sum(r[part]["proposed"] for r in results["papers"].values())
        c = sum(r[part]["correct"] for r in results["papers"].values())
        recalled = sum(round((r[part]["recall"] or 0) * r[part]["truth"]) for r in results["papers"].values())
        total[part] = {"truth": t, "proposed": p, "correct": c, "recall": round(recalled / t, 3) if t else None,
                       "precision": round(c / p, 3) if p else None}
    results["total"] = total
    return results


def markdown(results: dict) -> str:
    """The tables: totals against the targets, then per paper."""
    lines = ["| kind | curated | proposed | recall | target | precision | target | met |", "|---|---|---|---|---|---|---|---|"]
    for part, r in results["total"].items():
        rt, pt = TARGETS["recall"].get(part), TARGETS["precision"].get(part)
        met = (rt is None or (r["recall"] or 0) >= rt) and (pt is None or (r["precision"] or 0) >= pt)
        lines.append(f"| {part} | {r['truth']} | {r['proposed']} | {r['recall']} | {rt or '–'} | {r['precision']} | "
                     f"{pt or '–'} | {'yes' if met else 'no'} |")
    per = ["| paper | " + " | ".join(results["total"]) + " |", "|---|" + "---|" * len(results["total"])]
    for paper, r in results["papers"].items():
        per.append(f"| {paper} | " + " | ".join(f"R {v['recall']} / P {v['precision']}" for v in r.values()) + " |")
    out = "**Total**\n\n" + "\n".join(lines) + "\n\n**Per paper** (recall / precision)\n\n" + "\n".join(per)
    if "without_actor_kinds" in results:
        r = results["without_actor_kinds"]["actors"]
        out += (f"\n\nWithout the shipped list of generic actor kinds: actors recall {r['recall']}, precision "
                f"{r['precision']} ({r['proposed']} proposed).")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "ingest-eval.json")
    parser.add_argument("--markdown", action="store_true", help="print the tables of an existing --out file")
    args = parser.parse_args(argv)
    if args.markdown:
        print(markdown(json.loads(args.out.read_text(encoding="utf-8"))))
        return 0
    results = evaluate()
    results["without_actor_kinds"] = evaluate(actor_kinds=False)["total"]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
