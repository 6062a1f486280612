"""The parsed half of the query screen, and engine syntax errors in plain words.

:func:`check_parsed` runs where a query is evaluated (inside the sandboxed
query worker, or before a remote store is asked), after the lexical first pass
of :mod:`kg.sparql.screen` said the text needs it. rdflib's SPARQL 1.1 parser reads
the text; the tree is walked for ``SERVICE``; dataset clauses are resolved and
checked against the store's graphs; depth is measured on the tree (every
operator, unary ones and chains included); and the form must be the one the
first pass read. A text the parser cannot read is refused.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kg.errors import QueryRejected, QuerySyntaxError
from kg.sparql.screen import (MAX_TREE_DEPTH, _outside_store, _tokens, names_a_graph, resolve_iri,
                              unescape_codepoints)
from kg.sparql.prologue import user_line

__all__ = ["ParsedQuery", "check_parsed", "plain_syntax_message"]


@dataclass(frozen=True)
class ParsedQuery:
    """What the parsed check read: the form and the dataset clauses, resolved to absolute IRIs."""

    form: str
    from_graphs: tuple[str, ...]
    from_named_graphs: tuple[str, ...]
    depth: int


def check_parsed(text: str, *, form: str, allowed_graphs: frozenset[str], base_iri: str = "") -> ParsedQuery:
    """The parsed check of a text that passed :func:`screen_query` (cached by its arguments).

    >>> check_parsed('PREFIX g: <http://g/> SELECT * FROM g:a WHERE { ?s ?p "from" }', form="SELECT",
    ...              allowed_graphs=frozenset({"http://g/a"})).from_graphs
    ('http://g/a',)

    Raises
    ------
    kg.errors.QuerySyntaxError
        If rdflib's SPARQL 1.1 parser cannot read the text (line, column and the words near it).
    kg.errors.QueryRejected
        For ``SERVICE`` anywhere in the tree, a dataset clause outside the
        store, a tree deeper than 256, or a form other than ``form``.
    """
    return _check_parsed(text, form, frozenset(allowed_graphs), base_iri)


@functools.lru_cache(maxsize=512)
def _check_parsed(text: str, form: str, allowed_graphs: frozenset[str], base_iri: str) -> ParsedQuery:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parsed = parseQuery(text)
    except ParseBaseException as exc:
        line, column = exc.lineno, exc.col
        near, line = _near(text, line, column), user_line(text, line)
        raise QuerySyntaxError(f"syntax error at line {line}, column {column}{near}",
                               line=line, column=column) from None
    except RecursionError:
        raise QueryRejected(f"the query nests deeper than {MAX_TREE_DEPTH} levels") from None
    except ValueError:  # rdflib's escape expansion: a code point past U+10FFFF
        raise QuerySyntaxError("syntax error: the query has an invalid \\u or \\U escape") from None
    except Exception:  # noqa: BLE001 - whatever else the parser raises, the text is not run
        raise QueryRejected("the screen's parser could not read the query; it is refused") from None
    prologue, query = parsed[0], parsed[1]
    read_form = query.name.removesuffix("Query").upper()
    if read_form != form:
        raise QueryRejected(f"the query reads as a {read_form} to the parser but as a {form} to the first "
                            "pass; it is refused rather than guessed at")
    depth = _walk(query)
    if depth > MAX_TREE_DEPTH:
        raise QueryRejected(f"the query nests deeper than {MAX_TREE_DEPTH} levels (operators and chains "
                            f"counted: {depth})")
    prefixes, base = _parsed_prologue(prologue, base_iri)
    from_graphs: list[str] = []
    from_named: list[str] = []
    for clause in (query["datasetClause"] if "datasetClause" in query else ()):
        named = "named" in clause
        iri = _parsed_iri(clause["named"] if named else clause["default"], prefixes, base)
        if not names_a_graph(iri, allowed_graphs):
            raise QueryRejected(_outside_store(f"FROM {'NAMED ' if named else ''}", iri))
        (from_named if named else from_graphs).append(iri)
    return ParsedQuery(read_form, tuple(from_graphs), tuple(from_named), depth)


#: rdflib's precedence levels: a level with one operand and no operator is not an operator
_LEVELS = {"ConditionalOrExpression", "ConditionalAndExpression", "RelationalExpression", "AdditiveExpression",
           "MultiplicativeExpression", "PathAlternative", "PathSequence", "PathElt", "PathEltOrInverse"}
#: keys whose list values are chains that an engine nests (operands, group parts, unions, path steps)
_CHAINS = {"other", "part", "graph"}


def _walk(root: object) -> int:
    """The depth of the parse tree, iteratively (the tree may be deeper than Python's stack)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    sequences = (list, tuple, ParseResults)
    deepest = 0
    stack: list[tuple[object, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                raise QueryRejected("SERVICE is not allowed: this endpoint makes no outbound requests")
            part = node["part"] if "part" in node else None
            single = node.name in _LEVELS and "other" not in node and not (
                isinstance(part, sequences) and len(part) > 1)
            depth += 0 if single else 1
            deepest = max(deepest, depth)
            for key, value in node.items():
                if isinstance(value, sequences):
                    extra = len(value) if key in _CHAINS else 0
                    stack.extend((item, depth + extra) for item in value)
                else:
                    stack.append((value, depth))
        elif isinstance(node, sequences):
            stack.extend((item, depth) for item in node)
    return deepest


def _parsed_prologue(prologue: object, base_iri: str) -> tuple[dict[str, str], str]:
    prefixes: dict[str, str] = {}
    base = base_iri
    for declaration in prologue or ():  # type: ignore[union-attr]
        if declaration.name == "Base":
            base = resolve_iri(str(declaration["iri"]), base)
        elif declaration.name == "PrefixDecl":
            prefixes[declaration["prefix"] if "prefix" in declaration else ""] = resolve_iri(str(declaration["iri"]), base)
    return prefixes, base


def _parsed_iri(term: object, prefixes: dict[str, str], base: str) -> str | None:
    from rdflib import URIRef
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(term, URIRef):
        return resolve_iri(str(term), base)
    if isinstance(term, CompValue) and term.name == "pname":
        prefix = term["prefix"] if "prefix" in term else ""
        local = term["localname"] if "localname" in term else ""
        return prefixes[prefix] + local if prefix in prefixes else None
    return None


def plain_syntax_message(engine_message: str, text: str) -> tuple[str, int, int]:
    """An engine's syntax error in plain words: line, column, the text near it and, where the engine's
    expectations are punctuation, those; never the engine's grammar classes.

    >>> plain_syntax_message("error at 1:25: expected one of LATERAL, SERVICE, [_]", "SELECT * WHERE { ?s ?p }")
    ('syntax error at line 1, column 25, after `}`', 1, 25)
    >>> plain_syntax_message('error at 1:27: expected one of ",", ".", ";", "{", "}", [_]', "SELECT * WHERE { ?s ?p ?o")[0]
    'syntax error at line 1, column 27, after `?o`: expected `,`, `.`, `;`, `{` or `}`'

    Raises nothing.
    """
    match = re.search(r"error at (\d+):(\d+):?\s*(.*)", engine_message, re.S)
    if not match:
        return "syntax error: the query is not valid SPARQL", 0, 0
    line, column = int(match.group(1)), int(match.group(2))
    near, line = _near(text, line, column), user_line(text, line)
    message = f"syntax error at line {line}, column {column}{near}"
    undeclared = _undeclared_prefix(text)
    if undeclared is not None:
        return f"{message}: the prefix `{undeclared}:` is not declared (add PREFIX {undeclared}: <...>)", line, column
    punctuation = [item for item in re.findall(r'"([^"\s]{1,2})"', match.group(3)) if item in _PUNCTUATION]
    if punctuation:
        listed = ", ".join(f"`{p}`" for p in punctuation[:-1])
        message += f": expected {listed + ' or ' if listed else ''}`{punctuation[-1]}`"
    return message, line, column


_PUNCTUATION = {",", ".", ";", "{", "}", "(", ")", "[", "]", ">", "<", "=", "*", "AS"}


def _near(text: str, line: int, column: int) -> str:
    lines = text.splitlines() or [""]
    if line < 1 or line > len(lines):
        return ", at the end of the query"
    rest = (lines[line - 1][max(0, column - 1):] + " ".join(lines[line:])).strip()
    token = re.match(r"\S{1,20}", rest)
    if token is not None:
        return f", near `{token.group()}`"
    before = re.search(r"\S{1,20}$", lines[line - 1][:max(0, column - 1)].rstrip())
    return f", after `{before.group()}`" if before else ", at the end of the query"


def _undeclared_prefix(text: str) -> str | None:
    """The first prefixed name whose prefix no PREFIX line declares (the usual cause of a syntax error)."""
    tokens = _tokens(unescape_codepoints(text))
    declared = {tokens[i + 1][1].rstrip(":") for i, (kind, value) in enumerate(tokens[:-1])
                if kind == "word" and value.upper() == "PREFIX"}
    for index, (kind, value) in enumerate(tokens):
        previous = tokens[index - 1] if index else ("", "")
        if kind == "pname" and not (previous[0] == "word" and previous[1].upper() == "PREFIX"):
            prefix = value.partition(":")[0]
            if prefix not in declared:
                return prefix
    return None


