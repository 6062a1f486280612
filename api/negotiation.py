"""Content negotiation for SPARQL results: the ``format`` parameter first, then ``Accept`` with q-values."""
from __future__ import annotations

from kg.model.formats import FORMATS, media_types

from api.errors import BadRequest, NotAcceptable

__all__ = ["choose_format", "parse_accept"]

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


def choose_format(accept: str | None, format_param: str | None, kind: str) -> str:
    """The result format for a query of ``kind`` ("results" or "graph").

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
        wanted = next((f.name for f in FORMATS if wanted in f.aliases), wanted)  # json-ld is jsonld
        if wanted in names:
            return wanted
        if wanted in table:
            return table[wanted]
        other = GRAPH_MEDIA if kind == "results" else RESULTS_MEDIA
        if wanted in other or wanted in set(other.values()):
            raise NotAcceptable(f"format={format_param} does not fit this query form")
        raise BadRequest(f"unknown format={format_param}; one of: {', '.join(sorted(names))}")
    for media, q in parse_accept(accept):
        if q <= 0:
            continue
        if media == "*/*":
            return _DEFAULTS[kind]
        if media.endswith("/*"):
            match = next((name for m, name in table.items() if m.startswith(media[:-1])), None)
            if match:
                return match
        elif media in table:
            return table[media]
    raise NotAcceptable("none of the Accept media types can be produced for this query; "
                             f"try one of: {', '.join(sorted(set(table)))}")
