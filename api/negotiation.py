"""Content negotiation for SPARQL results: the ``format`` parameter first, then ``Accept`` with q-values."""
from __future__ import annotations

from kg.model.formats import FORMATS, media_types

from api.errors import BadRequest, NotAcceptable

__all__ = ["choose_format", "negotiate", "parse_accept"]

#: media type -> format name, for SELECT / ASK results (from kg.formats)
RESULTS_MEDIA = media_types("results")
#: media type -> format name, for CONSTRUCT / DESCRIBE results and the service description (from kg.formats)
GRAPH_MEDIA = media_types("graph")
_DEFAULTS = {"results": "json", "graph": "turtle"}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an ``Accept`` header with their q-values, best first (stable for ties).

    >>> parse_accept("text/csv;q=0.5, application/sparql-results+json")
    [('application/sparql-results+json', 1.0), ('text/csv', 0.5)]
    """
    if not header:
        return [("*/*", 1.0)]
    ranges = []
    for index, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((index, fields[0].lower(), q))
    ranges.sort(key=lambda r: (-r[2], r[0]))
    return [(media, q) for _, media, q in ranges]


def negotiate(accept: str | None, offers: list[str]) -> str | None:
    """The offered media type the client prefers, as RFC 9110 ranks them: each offer takes the q-value of
    the most specific range that matches it (``text/html`` before ``text/*`` before ``*/*``), so a ``q=0``
    refuses an offer that a ``*/*`` would otherwise match; at the same q-value the range the client listed
    first wins (``application/ld+json, application/json``, as JSON-LD clients send it, is JSON-LD), then the
    earlier offer. None: nothing offered is acceptable (a 406).

    >>> negotiate("application/ld+json, application/json", ["text/html", "application/json", "application/ld+json"])
    'application/ld+json'
    >>> negotiate("application/rdf+xml, text/html", ["text/html", "application/rdf+xml"])
    'application/rdf+xml'

    >>> negotiate("text/html;q=0, */*", ["text/html", "text/turtle"])
    'text/turtle'
    >>> negotiate("image/png", ["text/html", "text/turtle"]) is None
    True
    >>> negotiate(None, ["text/html", "text/turtle"])
    'text/html'
    """
    ranges = parse_accept(accept)

    def quality(offer: str) -> tuple[float, int]:
        """The offer's q-value and the rank of the range that gave it (ranges come best first, in the
        client's order at the same q-value)."""
        kind = offer.split("/", 1)[0]
        for pattern in (offer, f"{kind}/*", "*/*"):  # most specific first
            found = [(q, -rank) for rank, (media, q) in enumerate(ranges) if media == pattern]
            if found:
                return max(found)
        return 0.0, 0

    scored = [(*quality(offer), -index, offer) for index, offer in enumerate(offers)]
    best = max(scored, default=(0.0, 0, 0, None))
    return best[3] if best[0] > 0 else None


def choose_format(accept: str | None, format_param: str | None, kind: str) -> str:
    """The result format for a query of ``kind`` ("results" or "graph").

    ``format_param`` (the protocol's ``format`` or ``output``) is a format's name, alias or media type, or a
    word the popular clients send, read per query form as Fuseki reads it: ``json`` is SPARQL JSON for a
    SELECT and JSON-LD for a CONSTRUCT, ``xml`` SPARQL XML or RDF/XML, ``n3`` Turtle, ``rdf`` RDF/XML.

    >>> choose_format(None, "xml", "graph"), choose_format(None, "json", "graph"), choose_format(None, "json", "results")
    ('rdfxml', 'jsonld', 'json')

    Raises
    ------
    api.errors.NotAcceptable
        When nothing acceptable can be produced (406).
    api.errors.BadRequest
        For an unknown ``format`` (400).
    """
    table = RESULTS_MEDIA if kind == "results" else GRAPH_MEDIA
    names = set(table.values())
    if format_param:
        wanted = format_param.strip().lower()
        if wanted in table:
            return table[wanted]
        fitting = [f for f in FORMATS if f.name in names]
        for names_of in (lambda f: (f.name, *f.aliases), lambda f: f.protocol_names):  # a name before a client's word
            found = next((f.name for f in fitting if wanted in names_of(f)), None)
            if found:
                return found
        other = GRAPH_MEDIA if kind == "results" else RESULTS_MEDIA
        if wanted in other or any(wanted in (f.name, *f.aliases) for f in FORMATS if f.name in set(other.values())):
            raise NotAcceptable(f"format={format_param} does not fit this query form")
        raise BadRequest(f"unknown format={format_param}; one of: {', '.join(sorted(names))}")
    default = next(m for m, name in table.items() if name == _DEFAULTS[kind])
    chosen = negotiate(accept, [default, *(m for m in table if m != default)])
    if chosen is not None:
        return table[chosen]
    raise NotAcceptable("none of the Accept media types can be produced for this query; "
                             f"try one of: {', '.join(sorted(set(table)))}")
