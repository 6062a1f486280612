"""Checking a SPARQL query before any engine sees it: read-only, no outbound access, bounded size and depth.

Both rdflib and pyoxigraph follow ``SERVICE`` on their own, and Oxigraph
crashes on a deep enough expression tree, so every query is screened in two
passes:

1. **A lexical first pass** (:func:`screen_query`, in the web process, in
   microseconds): the size limit; SPARQL's codepoint escapes applied
   (``\\u0053ERVICE`` is ``SERVICE``); then a small lexer refuses updates, a
   bare ``SERVICE``, ``FROM`` a graph that is neither in the store nor named by an
   ``http(s)`` IRI (an unknown web IRI is an empty graph, as in Fuseki and Oxigraph:
   nothing is ever fetched), brackets nested deeper than
   :data:`MAX_DEPTH`, runs of unary operators and texts with more than
   :data:`MAX_OPERATORS` operators. It also decides whether the text needs the
   second pass: any text whose decoded form contains ``service`` or ``from``
   anywhere (in any case, even inside a literal), or more than
   :data:`FAST_PATH_SIGNALS` bracket and operator characters. A text with
   none of these can hold neither a ``SERVICE`` nor a dataset clause, nor a
   tree deeper than that count, whatever a lexer makes of it.
2. **A parsed check** (:func:`kg.sparql.parsed_screen.check_parsed`, run where the query is
   evaluated: inside the sandboxed query worker, or before a remote store is
   asked): rdflib's SPARQL 1.1 parser reads the text; the parse tree is walked
   for ``SERVICE``, its dataset clauses are resolved and checked against the
   store's graphs, its depth is measured by the tree (every operator, unary
   ones and chains included), and its form must be the one the first pass
   read. A text the parser cannot read is refused: where the two readings
   could disagree, nothing runs.

Parse results are cached by text, so a repeated query pays the parse once per
worker. ``bench/screen_bench.py`` measures both passes (``docs/security.md``).
"""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urljoin

from kg.errors import QueryRejected, QuerySyntaxError, QueryTooLarge
from kg.model.prefixes import PREDECLARED_PREFIXES
from kg.sparql.prologue import predeclare

__all__ = ["FAST_PATH_SIGNALS", "MAX_DEPTH", "MAX_OPERATORS", "MAX_QUERY_BYTES", "MAX_TREE_DEPTH", "ScreenedQuery",
           "check_dataset_iris", "names_a_graph", "own_query", "screen_query", "unescape_codepoints"]

MAX_QUERY_BYTES = 16 * 1024
#: brackets nested, or unary operators in a row, at most this deep (lexical first pass)
MAX_DEPTH = 64
#: operators and brackets outside literals and IRIs, at most this many (lexical first pass)
MAX_OPERATORS = 1024
#: depth of the parse tree, counting every operator and each link of a chain (parsed check)
MAX_TREE_DEPTH = 256
#: a text with at most this many bracket and operator characters, and no ``service``/``from``, skips the parse
FAST_PATH_SIGNALS = 256

_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_SIGNALS = frozenset("({[!^|&/+-*<>=")
_UNARY = frozenset("!+-^")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<long_string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*''')
  | (?P<string>"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
  | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*+)?:
        (?:(?:[\w\-\u00B7\u00C0-\uFFFF:%]|\\[_~.\-!$&'()*+,;=/?\#@%])
           (?:\.*+(?:[\w\-\u00B7\u00C0-\uFFFF:%]|\\[_~.\-!$&'()*+,;=/?\#@%]))*+)?)
  | (?P<bnode>_:[A-Za-z0-9_\u00C0-\uFFFF](?:[\w.\-\u00B7\u00C0-\uFFFF]*[\w\-\u00B7\u00C0-\uFFFF])?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<name>[\w\u00B7\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*+)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


@dataclass(frozen=True)
class ScreenedQuery:
    """A query that passed the first pass: its form, the lexical FROM / FROM NAMED graphs, and whether the parsed
    check must run before it is evaluated (``parse``)."""

    text: str
    form: str
    from_graphs: tuple[str, ...]
    from_named_graphs: tuple[str, ...]
    base_iri: str = ""
    parse: bool = False
    #: False when the query calls a function whose value differs per evaluation (RAND, NOW, UUID, STRUUID,
    #: BNODE): its answer is then never kept or validated by version
    deterministic: bool = True


#: the SPARQL 1.1 functions that give another value each time they are evaluated
NONDETERMINISTIC_FUNCTIONS = frozenset({"RAND", "NOW", "UUID", "STRUUID", "BNODE"})


def resolve_iri(iri: str, base: str) -> str:
    """``iri`` resolved against ``base`` only when it is relative: an absolute IRI stays exactly as written, as
    the engine keeps it (``urljoin`` would drop an empty ``#`` fragment or dot segments).

    >>> resolve_iri("http://e/#", "http://b/"), resolve_iri("x", "http://b/a")
    ('http://e/#', 'http://b/x')
    """
    if _ABSOLUTE.match(iri):
        return iri
    return urljoin(base or "http://localhost/", iri)


_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


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
    """The lexical first pass over ``text`` (see the module docstring).

    ``allowed_graphs`` are the named graphs of the store: ``FROM`` and
    ``FROM NAMED`` may only select among them, never load anything. Relative
    IRIs resolve against the query's ``BASE`` or else ``base_iri``.

    >>> screen_query('SELECT * WHERE { ?s ?p "customer service" }', allowed_graphs=()).parse
    True
    >>> screen_query('SELECT * WHERE { ?s ?p ?o }', allowed_graphs=()).parse
    False

    Raises
    ------
    kg.errors.QueryTooLarge
        If the query is over 16 KiB (checked before anything else).
    kg.errors.QueryRejected
        For updates, ``SERVICE`` in any spelling, ``FROM`` a graph not in the
        store, brackets or unary operators nested deeper than 64, or more than
        1,024 operators.
    """
    size = len(text.encode("utf-8"))
    if size > MAX_QUERY_BYTES:
        raise QueryTooLarge(f"the query is {size} bytes; the limit is {MAX_QUERY_BYTES} bytes")
    # one line terminator for every reader: Oxigraph ends a comment at a CR, rdflib only at an LF (a SERVICE
    # after "# x\r" was code to one and comment to the other); the engine is given this text too
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_escapes(text)
    decoded = unescape_codepoints(text)
    tokens = _tokens(decoded)
    _check_shape(tokens)
    prefixes, base = _prologue(tokens)
    text = predeclare(text, declared=prefixes)  # every engine reads the text with the predeclared prefixes
    prefixes = {**PREDECLARED_PREFIXES, **prefixes}
    base = resolve_iri(base, base_iri) if base else base_iri
    _check_names(tokens, prefixes, base, decoded)
    words = [(i, value.upper()) for i, (kind, value) in enumerate(tokens) if kind == "word"]
    for _, word in words:
        if word in _UPDATE_WORDS:
            raise QueryRejected(f"updates are not supported (found {word}): this endpoint is read-only")
        if word == "SERVICE":
            raise QueryRejected("SERVICE is not allowed: this endpoint makes no outbound requests")
    form = next((word for _, word in words if word in _FORMS), "")
    if not form:
        first = next((value for kind, value in tokens if kind == "word" and value.upper() not in ("PREFIX", "BASE")),
                     None)
        found = f", found `{first}`" if first else ""
        raise QueryRejected(f"not a query: expected SELECT, ASK, CONSTRUCT or DESCRIBE{found} "
                            "(updates are not supported)")
    from_graphs: list[str] = []
    from_named: list[str] = []
    for index, word in words:
        if word != "FROM":
            continue
        target = index + 1 if index + 1 < len(tokens) else None
        named = target is not None and tokens[target][0] == "word" and tokens[target][1].upper() == "NAMED"
        if named and target is not None:
            target = target + 1 if target + 1 < len(tokens) else None
        iri = _resolve(tokens[target] if target is not None else None, prefixes, base)
        if not names_a_graph(iri, allowed_graphs):
            raise QueryRejected(_outside_store(f"FROM {'NAMED ' if named else ''}", iri))
        (from_named if named else from_graphs).append(iri)
    lowered = decoded.lower()
    parse = ("service" in lowered or "from" in lowered
             or sum(1 for char in decoded if char in _SIGNALS) > FAST_PATH_SIGNALS)
    deterministic = not any(word in NONDETERMINISTIC_FUNCTIONS for _, word in words)
    return ScreenedQuery(text, form, tuple(from_graphs), tuple(from_named), base_iri, parse, deterministic)


def own_query(text: str) -> ScreenedQuery:
    """A named query of the service's own (``kg/sparql/queries``, values bound, never pasted) as a screened query.

    It skips the user limits: its text is ours, and a long bound list of
    values is not a user's query being too large.

    >>> own_query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").form
    'CONSTRUCT'

    Raises
    ------
    kg.errors.QueryRejected
        If the text is not a query (a programming error in a named query).
    """
    form = next((value.upper() for kind, value in _tokens(text) if kind == "word" and value.upper() in _FORMS), "")
    if not form:
        raise QueryRejected("not a query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    return ScreenedQuery(text, form, (), ())


def _check_escapes(text: str) -> None:
    """Refuse codepoint escapes that the readers of a query could read in different ways.

    SPARQL 1.1 (section 19.2) applies ``\\u``/``\\U`` escapes to the whole text before parsing, and so do
    this screen and rdflib; Oxigraph applies them only inside strings, IRIs and names, and not in comments. A
    ``\\u0022`` is then a quote to one reader and a character of a string to the other, and the two readings
    of the same text differ: a ``SERVICE`` hidden from one runs in the other. So every escape must be
    ``\\u`` with exactly four hex digits (and no four more after them: rdflib would take eight) or ``\\U``
    with exactly eight (rdflib also takes ``\\U`` with four; Oxigraph then fails and backtracks), must not
    follow another backslash (``\\\\u0041`` is an escaped backslash to Oxigraph), and may only stand for a
    letter, a digit or a printable non-space character beyond ASCII: those never change where a token
    starts or ends, so every reader sees the same tokens.
    """
    for match in re.finditer(r"(\\+)([uU])", text):
        start = match.end()
        digits = 4 if match.group(2) == "u" else 8
        code = text[start:start + digits]
        well_formed = (len(match.group(1)) == 1 and re.fullmatch(r"[0-9A-Fa-f]{%d}" % digits, code) is not None
                       and (digits == 8 or re.match(r"[0-9A-Fa-f]{4}", text[start + 4:start + 8]) is None))
        char = chr(int(code, 16)) if well_formed and int(code, 16) <= 0x10FFFF else ""
        if char and (char.isascii() and char.isalnum() or not char.isascii() and char.isprintable()
                     and not char.isspace()):
            continue
        shown = text[match.start():start + digits]
        raise QueryRejected(f"the escape {shown} is one that engines read in different ways (it must be \\u "
                            "and four hex digits or \\U and eight, standing for a letter, a digit or a non-ASCII "
                            "character); write the character itself (in a string, as \\\" or \\n)")


def names_a_graph(iri: str | None, allowed_graphs: Collection[str]) -> bool:
    """Whether ``iri`` may name a graph of a query's dataset: a graph of the store, or any other absolute
    ``http(s)`` IRI, which is an empty graph (nothing is fetched); never a ``file:`` or other IRI.

    >>> names_a_graph("http://example.org/unknown", ()), names_a_graph("file:///etc/passwd", ())
    (True, False)
    """
    if iri is None:
        return False
    return iri in allowed_graphs or re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", iri, re.IGNORECASE) is not None


def check_dataset_iris(iris: Collection[str], *, allowed_graphs: Collection[str], parameter: str) -> None:
    """Refuse protocol dataset IRIs (``default-graph-uri``, ``named-graph-uri``) that cannot name a graph
    (see :func:`names_a_graph`); an empty value is no graph.

    Raises
    ------
    kg.errors.QueryRejected
        Naming the parameter and the IRI.
    """
    for iri in iris:
        if iri and not names_a_graph(iri, allowed_graphs):
            raise QueryRejected(f"{parameter}={iri} is neither a graph of this store nor an http(s) IRI; "
                                "the endpoint loads nothing from files or the network")


def _outside_store(clause: str, iri: str | None) -> str:
    return (f"{clause}<{iri or '(no IRI)'}> is neither a graph of this store nor an http(s) IRI; "
            "the endpoint loads nothing from files or the network")


def _tokens(text: str) -> list[tuple[str, str]]:
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("space", "comment"):
            found.append((kind, match.group()))
    return found


def _check_shape(tokens: list[tuple[str, str]]) -> None:
    """Refuse deep brackets, long runs of unary operators and too many operators, before any parse."""
    depth = operators = run = 0
    for kind, value in _with_iri_insides(tokens):
        if kind == "open":
            depth += 1
            if depth > MAX_DEPTH:
                raise QueryRejected(f"the query nests brackets deeper than {MAX_DEPTH} levels")
        elif kind == "close":
            depth = max(0, depth - 1)
        if kind in ("open", "other") and value in _SIGNALS:
            operators += 1
            if operators > MAX_OPERATORS:
                raise QueryRejected(f"the query has more than {MAX_OPERATORS} operators and brackets")
        run = run + 1 if kind == "other" and value in _UNARY else 0
        if run > MAX_DEPTH:
            raise QueryRejected(f"the query has more than {MAX_DEPTH} operators in a row")


def _with_iri_insides(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The tokens, with each IRI's brackets and operators as tokens of their own: an expression such as
    ``1<((…))*(0>1)`` lexes as an IRI here but is a comparison to the engine, so what is inside an "IRI"
    counts towards depth and runs as well."""
    out: list[tuple[str, str]] = []
    for kind, value in tokens:
        if kind != "iri":
            out.append((kind, value))
            continue
        out.append(("iri", value))
        for char in value[1:-1]:
            if char in "([{" or char in _SIGNALS or char in ")]}":
                out.append(("open" if char in "([{" else "close" if char in ")]}" else "other", char))
            else:
                out.append(("iri-char", char))
    return out


def _check_names(tokens: list[tuple[str, str]], prefixes: dict[str, str], base: str, text: str) -> None:
    """Refuse the names that the parser and the engine split differently.

    Oxigraph's grammar backtracks when a prefixed name fails (an undeclared prefix, or a prefix and local
    part that do not make a valid IRI) and then reads the same characters as other tokens, where rdflib
    reads one name; and it needs no word boundary after a keyword. Each of these hid a ``SERVICE`` or a
    ``FROM NAMED`` from the screen in the newcomer attacks of issue 12, so:

    * every prefix must be declared, and every prefixed name must expand to a valid IRI (checked by
      Oxigraph's own IRI parser);
    * a local part may have at most one ``.`` group (``e:a.b.c`` is two tokens to Oxigraph 0.5);
    * no word, name or prefix may contain ``SERVICE``, and no prefix may begin with ``FROM`` or ``NAMED``.
    """
    import pyoxigraph as ox

    after_prefix = False
    for kind, value in tokens:
        if kind == "word" and value.upper() == "PREFIX":
            after_prefix = True
            continue
        upper = value.upper()
        if kind == "pname":
            prefix, _, local = value.partition(":")
            if "SERVICE" in upper or prefix.upper().startswith(("FROM", "NAMED")):
                raise QueryRejected(f"the prefixed name {value!r} reads as a SERVICE or FROM clause to some engines; "
                                    "rename the prefix or write the IRI in full (<...>)")
            if not after_prefix:
                _check_prefixed_name(value, prefix, local, prefixes, base, ox, text)
        elif kind in ("word", "name", "bnode") and "SERVICE" in upper:
            raise QueryRejected("SERVICE is not allowed: this endpoint makes no outbound requests")
        elif kind == "iri":
            _check_engine_accepts(value, ox.NamedNode, resolve_iri(value[1:-1], base))
        elif kind == "lang":
            _check_engine_accepts(value, lambda tag: ox.Literal("x", language=tag), value[1:].split("--")[0])
        after_prefix = False


def _check_engine_accepts(value: str, build: object, argument: str) -> None:
    """Refuse an IRI or a language tag that Oxigraph's own parser refuses: where a term fails, Oxigraph's
    grammar backtracks and reads the same characters as other tokens, while the screen read one term."""
    try:
        build(argument)  # type: ignore[operator]
    except ValueError:
        raise QueryRejected(f"{value!r} is not a term that every engine reads the same way (Oxigraph refuses "
                            "it); it is refused") from None


def _check_prefixed_name(value: str, prefix: str, local: str, prefixes: dict[str, str], base: str,
                         ox: object, text: str) -> None:
    if prefix not in prefixes:
        offset = max(0, text.find(value))
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raise QuerySyntaxError(f"syntax error at line {line}, column {column}, near `{value[:40]}`: the prefix "
                               f"`{prefix}:` is not declared (add PREFIX {prefix}: <...>)", line=line, column=column)
    if len(re.split(r"(?<!\\)\.+", local)) > 2:
        raise QueryRejected(f"the prefixed name {value!r} has more than one '.' in its local part, which "
                            "engines read in different ways; write the IRI in full (<...>)")
    iri = resolve_iri(prefixes[prefix], base) + re.sub(r"\\(.)", r"\1", local)
    try:
        ox.NamedNode(iri)  # type: ignore[attr-defined]
    except ValueError:
        raise QueryRejected(f"the prefixed name {value!r} does not make a valid IRI ({iri!r}); engines read it "
                            "in different ways, so it is refused") from None


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


def _resolve(token: tuple[str, str] | None, prefixes: dict[str, str], base: str) -> str | None:
    if token is None:
        return None
    kind, value = token
    if kind == "iri":
        iri = value[1:-1]
        return resolve_iri(iri, base)
    if kind == "pname":
        prefix, _, local = value.partition(":")
        return resolve_iri(prefixes[prefix], base) + local if prefix in prefixes else None
    return None
