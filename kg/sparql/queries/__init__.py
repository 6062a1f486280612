"""Named SPARQL queries, one ``.rq`` file each; user values are bound, never pasted in."""
from __future__ import annotations

from functools import cache
from importlib import resources

from kg.errors import NotFoundError, QueryError

_MARKER = "# @values"

__all__ = ["bind_values", "load_query", "query_names", "strip_comments"]


def query_names() -> list[str]:
    """Names of the shipped queries, sorted (file names without ``.rq``)."""
    return sorted(p.name[:-3] for p in resources.files(__package__).iterdir() if p.name.endswith(".rq"))


@cache
def load_query(name: str) -> str:
    """The text of the named query.

    Raises
    ------
    kg.errors.NotFoundError
        If there is no ``<name>.rq``.
    """
    path = resources.files(__package__) / f"{name}.rq"
    if not path.is_file():
        raise NotFoundError(f"no named query {name!r}; known: {', '.join(query_names())}")
    return path.read_text(encoding="utf-8")


def strip_comments(text: str) -> str:
    """``text`` without its whole-line ``#`` comments, for queries handed to users and their clients.

    (Some clients, such as SPARQLWrapper, guess the query form from the text and
    misread words like "addresses" in a run of comment lines.)

    >>> strip_comments("# note\\nSELECT * WHERE { ?s ?p <urn:a#b> }\\n")
    'SELECT * WHERE { ?s ?p <urn:a#b> }\\n'
    """
    return "".join(line for line in text.splitlines(keepends=True) if not line.lstrip().startswith("#"))


def bind_values(text: str, bindings: dict[str, tuple[str, str] | None] | list[dict[str, tuple[str, str] | None]]
                ) -> str:
    r"""Insert a ``VALUES`` row for ``bindings`` where the query says ``# @values``.

    Each binding is ``("iri", value)``, ``("literal", value)``, ``("boolean", "true" or "false")`` or ``None``
    (``UNDEF``);
    a list of such mappings (with the same keys) gives one row each.
    Terms are built and escaped by pyoxigraph, so a value can never change the
    query's structure.

    >>> print(bind_values("SELECT * WHERE { # @values }", {"q": ("literal", 'a"b'), "x": None}))
    SELECT * WHERE { VALUES (?q ?x) { ("a\"b" UNDEF) } }

    Raises
    ------
    kg.errors.QueryError
        If a value is not a valid IRI, or bindings are given and the query has no ``# @values`` line.
    """
    rows = bindings if isinstance(bindings, list) else [bindings]
    if not rows or not rows[0]:
        return text.replace(_MARKER, "")
    if _MARKER not in text:
        raise QueryError("the named query has no '# @values' line")
    names = list(rows[0])
    header = " ".join(f"?{name}" for name in names)
    body = " ".join(f"({' '.join(_term(name, row.get(name)) for name in names)})" for row in rows)
    return text.replace(_MARKER, f"VALUES ({header}) {{ {body} }}")


def _term(name: str, term: tuple[str, str] | None) -> str:
    import pyoxigraph as ox

    if term is None:
        return "UNDEF"
    if term[0] == "iri":
        try:
            return str(ox.NamedNode(term[1]))
        except ValueError as exc:
            raise QueryError(f"not a valid IRI for ?{name}: {term[1]!r}") from exc
    if term[0] == "boolean":
        if term[1] not in ("true", "false"):
            raise QueryError(f"not a boolean for ?{name}: {term[1]!r}")
        return str(ox.Literal(term[1], datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")))
    return str(ox.Literal(term[1]))
