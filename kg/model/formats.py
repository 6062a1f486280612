"""Every serialisation seikg reads or writes, declared once: name, aliases, media type, rdflib and Oxigraph names,
file suffix, and what it holds (query results, a graph, or a dataset with named graphs).

Everything else reads this table: the query workers, the remote store, exports, the analysis RDF, content
negotiation on ``/sparql`` and on entity pages. A format is asked for by name or alias (``jsonld`` and
``json-ld`` are one format) with :func:`format_named`.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kg.errors import InvalidArgument

__all__ = ["FORMATS", "Format", "format_named", "formats_holding", "media_types"]


@dataclass(frozen=True)
class Format:
    """One serialisation."""

    name: str                     # canonical name, as the API and CLI spell it
    media_type: str
    holds: str                    # "results" (SELECT/ASK), "graph" (triples) or "dataset" (quads; a graph too)
    suffix: str = ""
    rdflib: str | None = None     # rdflib's plugin name (graphs, datasets, and result writers)
    oxigraph: str | None = None   # the member of pyoxigraph.RdfFormat or QueryResultsFormat
    aliases: tuple[str, ...] = ()
    other_media_types: tuple[str, ...] = ()  # also accepted in Accept (never produced as Content-Type)
    protocol_names: tuple[str, ...] = ()  # the ``format``/``output`` values clients send for it (Fuseki's mapping)

    def oxigraph_format(self):  # noqa: ANN201 - a pyoxigraph enum member
        """The pyoxigraph format object (``RdfFormat`` or ``QueryResultsFormat``)."""
        import pyoxigraph as ox
        family = ox.QueryResultsFormat if self.holds == "results" else ox.RdfFormat
        return getattr(family, self.oxigraph or "")


FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", "results", ".srj", "json", "JSON",
           other_media_types=("application/json",)),
    Format("xml", "application/sparql-results+xml", "results", ".srx", "xml", "XML",
           other_media_types=("application/xml", "text/xml")),
    Format("csv", "text/csv", "results", ".csv", "csv", "CSV"),
    Format("tsv", "text/tab-separated-values", "results", ".tsv", "tsv", "TSV"),
    Format("turtle", "text/turtle", "graph", ".ttl", "turtle", "TURTLE", aliases=("ttl",),
           other_media_types=("application/x-turtle", "text/n3", "text/rdf+n3", "application/turtle"),
           protocol_names=("n3",)),  # Turtle is N3, as Fuseki answers an N3 request
    Format("ntriples", "application/n-triples", "graph", ".nt", "nt", "N_TRIPLES", aliases=("nt", "n-triples"),
           other_media_types=("text/plain",)),
    Format("jsonld", "application/ld+json", "graph", ".jsonld", "json-ld", "JSON_LD", aliases=("json-ld",),
           other_media_types=("application/json", "application/x-json+ld"), protocol_names=("json",)),
    Format("rdfxml", "application/rdf+xml", "graph", ".rdf", "xml", "RDF_XML", aliases=("rdf-xml", "rdf/xml"),
           other_media_types=("application/xml",), protocol_names=("xml", "rdf", "rdf+xml")),  # SPARQLWrapper: rdf+xml
    Format("nquads", "application/n-quads", "dataset", ".nq", "nquads", "N_QUADS", aliases=("nq", "n-quads")),
    Format("trig", "application/trig", "dataset", ".trig", "trig", "TRIG"),
)
_BY_NAME = {alias: fmt for fmt in FORMATS for alias in (fmt.name, *fmt.aliases)}


def format_named(name: str, *, among: Iterable[str] | None = None, parameter: str = "format") -> Format:
    """The format called ``name`` (or one of its aliases), optionally only ``among`` some names.

    >>> format_named("json-ld").name
    'jsonld'

    Raises
    ------
    kg.errors.InvalidArgument
        If no format (among those allowed) has that name; the message lists the allowed names.
    """
    allowed = tuple(among) if among is not None else tuple(fmt.name for fmt in FORMATS)
    fmt = _BY_NAME.get(name.strip().lower())
    if fmt is None or fmt.name not in allowed:
        raise InvalidArgument(f"{parameter}: {name!r} is not one of {', '.join(allowed)}")
    return fmt


def formats_holding(*holds: str) -> tuple[Format, ...]:
    """The formats for ``holds`` ("results", "graph", "dataset"), in table order.

    >>> [f.name for f in formats_holding("results")]
    ['json', 'xml', 'csv', 'tsv']
    """
    return tuple(fmt for fmt in FORMATS if fmt.holds in holds)


def media_types(*holds: str) -> dict[str, str]:
    """Media type -> format name for the formats holding ``holds``, produced types first, then the other
    types each also accepts (the first format to claim a type keeps it).

    >>> media_types("graph")["application/json"]
    'jsonld'
    """
    table: dict[str, str] = {}
    for fmt in formats_holding(*holds):
        table.setdefault(fmt.media_type, fmt.name)
    for fmt in formats_holding(*holds):
        for media in fmt.other_media_types:
            table.setdefault(media, fmt.name)
    return table
