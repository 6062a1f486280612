"""Checking a SPARQL query before any engine sees it: read-only, no outbound access, bounded size and nesting.

Both rdflib and pyoxigraph follow ``SERVICE`` (and rdflib dereferences ``FROM``)
on their own, so every query is screened here first. The screen is a small
SPARQL lexer: it applies the codepoint escapes (``\\u0053ERVICE`` is
``SERVICE``, SPARQL 1.1 section 19.2), skips string literals, IRIs and
comments, and then looks at the bare keywords, the ``FROM`` targets and the
bracket depth. Words inside literals or IRIs (``"customer service"``,
``<http://ex/SERVICE>``) and variables (``?from``) are never taken for keywords.
"""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from .errors import QueryRejected, QueryTooLarge

__all__ = ["MAX_DEPTH", "MAX_QUERY_BYTES", "ScreenedQuery", "screen_query"]

MAX_QUERY_BYTES = 16 * 1024
MAX_DEPTH = 64

_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<long_string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*''')
  | (?P<string>"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
  | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*)?:(?:[^\s{}()\[\],;]*[^\s{}()\[\],;.])?)
  | (?P<bnode>_:[^\s{}()\[\],;]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


@dataclass(frozen=True)
class ScreenedQuery:
    """A query that passed the screen, with its form and the graphs named by FROM / FROM NAMED."""

    text: str
    form: str
    from_graphs: tuple[str, ...]
    from_named_graphs: tuple[str, ...]
    base_iri: str = ""


def unescape_codepoints(text: str) -> str:
    r"""Apply SPARQL's ``\uXXXX`` / ``\UXXXXXXXX`` escapes, as the grammar does before parsing.

    >>> unescape_codepoints("\\u0053ERVICE")
    'SERVICE'
    """
    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)
    return _ESCAPE.sub(replace, text)


def screen_query(text: str, *, allowed_graphs: Collection[str], base_iri: str = "") -> ScreenedQuery:
    """Screen ``text`` before evaluation.

    ``allowed_graphs`` are the named graphs of the store: ``FROM`` and
    ``FROM NAMED`` may only select among them, never load anything. Relative
    IRIs resolve against the query's ``BASE`` or else ``base_iri``.

    >>> screen_query('SELECT * WHERE { ?s ?p "customer service" }', allowed_graphs=()).form
    'SELECT'

    Raises
    ------
    kg.errors.QueryTooLarge
        If the query is over 16 KiB (checked before anything else).
    kg.errors.QueryRejected
        For updates, ``SERVICE`` in any spelling, ``FROM`` a graph not in the
        store, or brackets nested deeper than 64.
    """
    size = len(text.encode("utf-8"))
    if size > MAX_QUERY_BYTES:
        raise QueryTooLarge(f"the query is {size} bytes; the limit is {MAX_QUERY_BYTES} bytes")
    tokens = _tokens(unescape_codepoints(text))
    _check_depth(tokens)
    words = [(i, value.upper()) for i, (kind, value) in enumerate(tokens) if kind == "word"]
    for _, word in words:
        if word in _UPDATE_WORDS:
            raise QueryRejected(f"updates are not supported (found {word}): this endpoint is read-only")
        if word == "SERVICE":
            raise QueryRejected("SERVICE is not allowed: this endpoint makes no outbound requests")
    form = next((word for _, word in words if word in _FORMS), "")
    if not form:
        raise QueryRejected("not a query: expected SELECT, ASK, CONSTRUCT or DESCRIBE "
                            "(updates are not supported)")
    prefixes, base = _prologue(tokens)
    base = base or base_iri
    from_graphs: list[str] = []
    from_named: list[str] = []
    for index, word in words:
        if word != "FROM":
            continue
        target = _next_significant(tokens, index)
        named = target is not None and tokens[target] == ("word", _case_of(tokens[target][1], "NAMED"))
        if named and target is not None:
            target = _next_significant(tokens, target)
        iri = _resolve(tokens[target] if target is not None else None, prefixes, base)
        if iri is None or iri not in allowed_graphs:
            shown = iri or "(no IRI)"
            raise QueryRejected(f"FROM {'NAMED ' if named else ''}<{shown}> is not a graph of this store; "
                                "the endpoint loads nothing from files or the network")
        (from_named if named else from_graphs).append(iri)
    return ScreenedQuery(text, form, tuple(from_graphs), tuple(from_named), base_iri)


def check_dataset_iris(iris: Collection[str], *, allowed_graphs: Collection[str], parameter: str) -> None:
    """Refuse protocol dataset IRIs (``default-graph-uri``, ``named-graph-uri``) outside the store.

    Raises
    ------
    kg.errors.QueryRejected
        Naming the parameter and the IRI.
    """
    for iri in iris:
        if iri not in allowed_graphs:
            raise QueryRejected(f"{parameter}={iri} is not a graph of this store; "
                                "the endpoint loads nothing from files or the network")


def _tokens(text: str) -> list[tuple[str, str]]:
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("space", "comment"):
            found.append((kind, match.group()))
    return found


def _check_depth(tokens: list[tuple[str, str]]) -> None:
    depth = 0
    for kind, _ in tokens:
        if kind == "open":
            depth += 1
            if depth > MAX_DEPTH:
                raise QueryRejected(f"the query nests brackets deeper than {MAX_DEPTH} levels")
        elif kind == "close":
            depth = max(0, depth - 1)


def _prologue(tokens: list[tuple[str, str]]) -> tuple[dict[str, str], str]:
    prefixes: dict[str, str] = {}
    base = ""
    for index, (kind, value) in enumerate(tokens):
        if kind != "word":
            continue
        upper = value.upper()
        if upper == "PREFIX" and index + 2 < len(tokens) and tokens[index + 2][0] == "iri":
            prefixes[tokens[index + 1][1].rstrip(":")] = tokens[index + 2][1][1:-1]
        elif upper == "BASE" and index + 1 < len(tokens) and tokens[index + 1][0] == "iri":
            base = tokens[index + 1][1][1:-1]
    return prefixes, base


def _next_significant(tokens: list[tuple[str, str]], index: int) -> int | None:
    return index + 1 if index + 1 < len(tokens) else None


def _case_of(value: str, word: str) -> str:
    return value if value.upper() == word else word


def _resolve(token: tuple[str, str] | None, prefixes: dict[str, str], base: str) -> str | None:
    if token is None:
        return None
    kind, value = token
    if kind == "iri":
        iri = value[1:-1]
        return iri if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", iri) else base + iri
    if kind == "pname":
        prefix, _, local = value.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else None
    return None
