"""Running a SPARQL query over a graph and rendering the result as a table, JSON or CSV.

This is the CLI's plain runner; the hardened query service for the web API
(limits, read-only, no outbound access) is built on top of it.
"""
from __future__ import annotations

from collections.abc import Mapping

from rdflib import Graph, Literal, URIRef
from rdflib.query import Result

from kg.errors import QueryError
from kg.model.prefixes import PREDECLARED_PREFIXES

__all__ = ["format_result", "run_query"]


def run_query(graph: Graph, sparql: str, *, bindings: Mapping[str, object] | None = None) -> Result:
    """Evaluate ``sparql`` on ``graph``; ``bindings`` pre-bind variables (never pasted into the text). The
    predeclared prefixes (:data:`kg.model.prefixes.PREDECLARED_PREFIXES`) need no ``PREFIX`` line.

    Raises
    ------
    kg.errors.QueryError
        If the query cannot be parsed or evaluated.
    """
    try:
        result = graph.query(sparql, initNs=PREDECLARED_PREFIXES, initBindings=dict(bindings or {}))
        if result.type == "SELECT":
            result.bindings  # evaluate now, so that errors surface here  # noqa: B018
        return result
    except Exception as exc:  # rdflib raises pyparsing and evaluation errors of many kinds
        raise QueryError(f"query failed: {exc}") from exc


def _cell(value: object, prefixes: Mapping[str, str]) -> str:
    if value is None:
        return ""
    if isinstance(value, URIRef):
        text = str(value)
        for prefix, namespace in prefixes.items():
            if namespace and text.startswith(namespace):
                return f"{prefix}:{text[len(namespace):]}"
        return text
    if isinstance(value, Literal):
        return str(value)
    return str(value)


def format_result(result: Result, fmt: str, *, prefixes: Mapping[str, str] | None = None) -> str:
    """Render a query result: ``table`` (aligned text), ``json`` (SPARQL JSON) or ``csv``.

    CONSTRUCT and DESCRIBE results are given as Turtle whatever ``fmt`` says.

    Raises
    ------
    kg.errors.QueryError
        If ``fmt`` is unknown.
    """
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return result.serialize(format="turtle").decode("utf-8")  # type: ignore[union-attr]
    if fmt == "json":
        return result.serialize(format="json").decode("utf-8")  # type: ignore[union-attr]
    if fmt == "csv":
        return result.serialize(format="csv").decode("utf-8")  # type: ignore[union-attr]
    if fmt != "table":
        raise QueryError(f"unknown output format {fmt!r}; one of: table, json, csv")
    if result.type == "ASK":
        return "true\n" if result.askAnswer else "false\n"
    names = [str(v) for v in result.vars or []]
    rows = [[_cell(row[i], prefixes or {}) for i in range(len(names))] for row in result]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"
