"""A planner aid for Oxigraph: each ``OPTIONAL`` moved to the end of its group where that is provably the same.

Oxigraph joins a group's patterns in the order they are written around an
``OPTIONAL``: in ``{ A OPTIONAL { X } B }`` it evaluates the left join of A
and X over every solution of A before B can narrow them. The competency
question PUB02 is written so, and ran past 30 s at 1M triples (Virtuoso:
153 ms); written as ``{ A B OPTIONAL { X } }`` it takes a quarter of a second
(``bench/planner_aid_repro.py`` reproduces it for an upstream report).

The two are the same query when no variable of the ``OPTIONAL`` (its
patterns and its filters) occurs in any element after it (``FILTER`` aside:
a filter applies to its whole group wherever it is written). Then
``Join(LeftJoin(A, X), B) = LeftJoin(Join(A, B), X)`` as multisets: a row of
B is compatible with a row of A extended by X exactly when it is compatible
with the row of A, since B shares no variable with X; the same holds past a
later ``OPTIONAL``, ``MINUS``, ``BIND`` or ``VALUES`` that shares none. This
module makes only that move, on the query's own text (every other character
is kept), and gives the text back unchanged whenever it cannot read a group
with certainty: a sub-select, an IRI that could be a comparison the lexer
misread, a bracket it cannot match.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.sparql.screen import _TOKEN

__all__ = ["move_optionals_last"]

_ELEMENT_WORDS = {"OPTIONAL", "MINUS", "GRAPH", "FILTER", "BIND", "VALUES", "SERVICE"}
_DOUBTFUL_IRI = re.compile(r"[?$&|!=()\s]")


@dataclass
class _Token:
    kind: str
    value: str
    start: int
    end: int


@dataclass
class _Element:
    kind: str  # "triples", "optional", "filter" or "other"
    text: str
    variables: frozenset[str]


class _Unsure(Exception):
    """The text is not one this module reads with certainty: leave it as it is."""


def move_optionals_last(text: str) -> str:
    """``text`` with every ``OPTIONAL`` that shares no variable with what follows it in its group moved to the
    end of that group; ``text`` itself when there is nothing to move or anything is in doubt.

    >>> move_optionals_last("SELECT * { ?p a ?c OPTIONAL { ?p <d> ?d } ?c <l> ?l }")
    'SELECT * { ?p a ?c . ?c <l> ?l . OPTIONAL { ?p <d> ?d } }'
    >>> move_optionals_last("SELECT * { ?p a ?c OPTIONAL { ?p <d> ?d } ?d <l> ?l }")  # ?d follows: kept
    'SELECT * { ?p a ?c OPTIONAL { ?p <d> ?d } ?d <l> ?l }'

    Raises nothing.
    """
    if "optional" not in text.lower():
        return text
    tokens = [_Token(m.lastgroup or "other", m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)
              if m.lastgroup not in ("space", "comment")]
    try:
        if any(t.kind == "iri" and _DOUBTFUL_IRI.search(t.value[1:-1]) for t in tokens):
            raise _Unsure
        out, position, index = [], 0, 0
        while index < len(tokens):
            if tokens[index].value == "{":
                end, rewritten = _group(text, tokens, index)
                out.append(text[position:tokens[index].start] + rewritten)
                position, index = tokens[end].end, end + 1
            else:
                index += 1
        return "".join(out) + text[position:]
    except (_Unsure, IndexError):
        return text


def _group(text: str, tokens: list[_Token], open_index: int) -> tuple[int, str]:
    """The index of the ``}`` closing the group opened at ``open_index``, and the group's text with its
    optionals moved (and those of the groups inside it)."""
    first = tokens[open_index + 1]
    if first.kind == "word" and first.value.upper() == "SELECT":  # a sub-select: left as it is
        end = _matching(tokens, open_index)
        return end, text[tokens[open_index].start:tokens[end].end]
    elements: list[_Element] = []
    index = open_index + 1
    changed = False
    while tokens[index].value != "}":
        element, index, inner_changed = _element(text, tokens, index)
        changed |= inner_changed
        if element is not None:
            elements.append(element)
    ordered = _reordered(elements)
    if ordered is None and not changed:
        return index, text[tokens[open_index].start:tokens[index].end]
    parts = [e.text + (" ." if e.kind == "triples" and not e.text.endswith(".") else "")
             for e in (ordered or elements)]
    return index, "{ " + " ".join(parts) + " }"


def _reordered(elements: list[_Element]) -> list[_Element] | None:
    """The elements with each movable optional last (in their order), or None when none moves: an optional
    moves when something other than optionals and filters follows it and nothing after it (filters aside)
    shares one of its variables."""
    moved: list[_Element] = []
    kept: list[_Element] = []
    for position, element in enumerate(elements):
        later = [e for e in elements[position + 1:] if e.kind != "filter"]
        if (element.kind == "optional" and any(e.kind != "optional" for e in later)
                and not any(element.variables & e.variables for e in later)):
            moved.append(element)
        else:
            kept.append(element)
    return kept + moved if moved else None


def _element(text: str, tokens: list[_Token], index: int) -> tuple[_Element | None, int, bool]:
    """The group element starting at ``index``, the index after it, and whether a group inside it changed."""
    token = tokens[index]
    word = token.value.upper() if token.kind == "word" else ""
    if token.value == ".":
        return None, index + 1, False
    if word in ("OPTIONAL", "MINUS", "GRAPH"):
        start = index
        index += 2 if word == "GRAPH" else 1
        if tokens[index].value != "{":
            raise _Unsure
        end, inner = _group(text, tokens, index)
        body = text[tokens[start].start:tokens[index].start] + inner
        kind = "optional" if word == "OPTIONAL" else "other"
        return (_Element(kind, body, _variables(tokens, start, end)), end + 1,
                inner != text[tokens[index].start:tokens[end].end])
    if word in ("FILTER", "BIND"):
        end = index + 1
        while tokens[end].value != "(":  # FILTER regex(...), FILTER NOT EXISTS {...}
            if tokens[end].value == "{":
                end = _matching(tokens, end)
                return (_Element("filter", text[token.start:tokens[end].end], _variables(tokens, index, end)),
                        end + 1, False)
            end += 1
        end = _matching(tokens, end)
        kind = "filter" if word == "FILTER" else "other"
        return _Element(kind, text[token.start:tokens[end].end], _variables(tokens, index, end)), end + 1, False
    if word == "VALUES":
        end = index + 1
        while tokens[end].value != "{":
            end += 1
        end = _matching(tokens, end)
        return _Element("other", text[token.start:tokens[end].end], _variables(tokens, index, end)), end + 1, False
    if word in _ELEMENT_WORDS:
        raise _Unsure
    if token.value == "{":  # a group, or a UNION of groups
        start, pieces, changed = index, [], False
        while True:
            end, inner = _group(text, tokens, index)
            changed |= inner != text[tokens[index].start:tokens[end].end]
            pieces.append(inner)
            after = tokens[end + 1]
            if after.kind == "word" and after.value.upper() == "UNION" and tokens[end + 2].value == "{":
                index = end + 2
                continue
            break
        return _Element("other", " UNION ".join(pieces), _variables(tokens, start, end)), end + 1, changed
    start, depth = index, 0  # a block of triples: up to a "." outside brackets, or the next element
    while True:
        value = tokens[index].value
        if depth == 0 and (value in ("{", "}") or (tokens[index].kind == "word"
                                                     and value.upper() in _ELEMENT_WORDS)):
            index -= 1
            break
        if value in ("(", "["):
            depth += 1
        elif value in (")", "]"):
            depth -= 1
        elif value == "." and depth == 0:
            break
        index += 1
    return (_Element("triples", text[tokens[start].start:tokens[index].end], _variables(tokens, start, index)),
            index + 1, False)


def _matching(tokens: list[_Token], index: int) -> int:
    """The index of the bracket closing the one at ``index``."""
    depth = 0
    for position in range(index, len(tokens)):
        value = tokens[position].value
        if tokens[position].kind == "open":
            depth += 1
        elif tokens[position].kind == "close":
            depth -= 1
            if depth == 0:
                if {"{": "}", "(": ")", "[": "]"}[tokens[index].value] != value:
                    raise _Unsure
                return position
    raise _Unsure


def _variables(tokens: list[_Token], start: int, end: int) -> frozenset[str]:
    return frozenset(t.value[1:] for t in tokens[start:end + 1] if t.kind == "var")
