"""The predeclared prefixes (:data:`kg.model.prefixes.PREDECLARED_PREFIXES`) written into a query's text.

Every engine (Oxigraph, rdflib's parser for the screen, a remote store) then reads the same text. The
prefixes a query does not declare itself go on one line of their own before it, marked by a comment, so
that an error's line number is mapped back to the line the user wrote (:func:`user_line`).
"""
from __future__ import annotations

from collections.abc import Collection

from kg.model.prefixes import PREDECLARED_PREFIXES

__all__ = ["MARK", "predeclare", "user_line"]

MARK = "# prefixes predeclared by seikg"


def predeclare(text: str, declared: Collection[str]) -> str:
    """``text`` with a first line declaring each predeclared prefix that is not in ``declared``.

    >>> predeclare("ASK { ?s rdfs:label ?o }", declared={"rdf"}).splitlines()[1]
    'ASK { ?s rdfs:label ?o }'
    >>> "PREFIX rdf:" in predeclare("ASK {}", declared={"rdf"})
    False
    """
    missing = " ".join(f"PREFIX {name}: <{iri}>" for name, iri in PREDECLARED_PREFIXES.items()
                       if name not in declared)
    return f"{missing} {MARK}\n{text}" if missing else text


def user_line(text: str, line: int) -> int:
    """The line of the user's query that is line ``line`` of ``text`` (its predeclared line not counted).

    >>> user_line(predeclare("SELECT", declared=()), 2)
    1
    >>> user_line("SELECT", 1)
    1
    """
    first = text.split("\n", 1)[0]
    return line - 1 if first.endswith(MARK) and first.startswith("PREFIX") and line > 1 else line
