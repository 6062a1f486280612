"""A minimal reproduction, for an upstream report to Oxigraph, of the plan that kg.sparql.planner_aid avoids.

A group ``{ A OPTIONAL { X } B }`` where B shares no variable with X is the
same query as ``{ A B OPTIONAL { X } }``, but pyoxigraph evaluates the left
join of A and X over every solution of A before B narrows them. With a
class hierarchy path in A (``?p a/rdfs:subClassOf* ex:Doc``), as in the
competency question PUB02, the first form is slower by orders of magnitude.

    python bench/planner_aid_repro.py --docs 20000

Prints one line per form: its rows and seconds (or that it ran past the limit).
"""
from __future__ import annotations

import argparse
import multiprocessing
import time

import pyoxigraph as ox

PREFIXES = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX ex: <http://example.org/> "
            "PREFIX dct: <http://purl.org/dc/terms/>\n")
WRITTEN = PREFIXES + """SELECT DISTINCT ?label ?date WHERE {
  ?p a/rdfs:subClassOf* ex:Doc ; rdfs:label ?pl ; ex:issuedBy ?b .
  OPTIONAL { ?p dct:issued ?date }
  ?b rdfs:label ?label .
  FILTER(CONTAINS(LCASE(STR(?pl)), "several opinions"))
  FILTER(LANGMATCHES(LANG(?label), "en"))
}"""
MOVED = PREFIXES + """SELECT DISTINCT ?label ?date WHERE {
  ?p a/rdfs:subClassOf* ex:Doc ; rdfs:label ?pl ; ex:issuedBy ?b .
  ?b rdfs:label ?label .
  FILTER(CONTAINS(LCASE(STR(?pl)), "several opinions"))
  FILTER(LANGMATCHES(LANG(?label), "en"))
  OPTIONAL { ?p dct:issued ?date }
}"""


def build(docs: int) -> ox.Store:
    """A store of ``docs`` documents of eight subclasses of ex:Doc, each with a label, an issuer (one of
    ``docs // 10``, labelled in English and Chinese) and, for two in three, a date."""
    lines = [f"<http://example.org/C{c}> <http://www.w3.org/2000/01/rdf-schema#subClassOf> "
             f"<http://example.org/Doc> ." for c in range(8)]
    for i in range(docs):
        p, b = f"<http://example.org/p{i}>", f"<http://example.org/b{i % max(1, docs // 10)}>"
        lines += [f"{p} a <http://example.org/C{i % 8}> .",
                  f'{p} <http://www.w3.org/2000/01/rdf-schema#label> "document {i}"@en .',
                  f"{p} <http://example.org/issuedBy> {b} ."]
        if i % 3:
            lines.append(f'{p} <http://purl.org/dc/terms/issued> "2017-12-{1 + i % 28:02d}" .')
    for j in range(max(1, docs // 10)):
        b = f"<http://example.org/b{j}>"
        lines += [f'{b} <http://www.w3.org/2000/01/rdf-schema#label> "issuer {j}"@en .',
                  f'{b} <http://www.w3.org/2000/01/rdf-schema#label> "机构 {j}"@zh .']
    store = ox.Store()
    store.bulk_load("\n".join(lines).encode("utf-8"), format=ox.RdfFormat.TURTLE)
    return store


def _time(docs: int, query: str, out: "multiprocessing.Queue") -> None:
    store = build(docs)
    started = time.perf_counter()
    rows = len(list(store.query(query)))
    out.put((rows, time.perf_counter() - started))


def main() -> None:
    """Time both forms in fresh processes, each stopped at ``--limit`` seconds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--limit", type=float, default=60.0)
    args = parser.parse_args()
    print(f"pyoxigraph {ox.__version__}, {args.docs} documents")
    for name, query in (("OPTIONAL written before B", WRITTEN), ("OPTIONAL moved last", MOVED)):
        out: multiprocessing.Queue = multiprocessing.Queue()
        process = multiprocessing.Process(target=_time, args=(args.docs, query, out))
        process.start()
        process.join(args.limit)
        if process.is_alive():
            process.kill()
            print(f"{name}: ran past {args.limit:g} s")
        else:
            rows, seconds = out.get()
            print(f"{name}: {rows} rows in {seconds:.3f} s")


if __name__ == "__main__":
    main()
