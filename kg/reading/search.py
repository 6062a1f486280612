"""Search over every name of every listed entity, ranked by how well a name matches.

A name matches when it equals the query, starts with it, holds each of its words (English words compared
by their Snowball stems, so "pilot city" finds "pilot cities"), or contains it (as Chinese text is
matched). Each entity is ranked by its best name: an exact match first, then a prefix, whole words, then
any substring; at the same level its English label before its Chinese one before an alternative label,
then shorter names first. The names are read, folded and stemmed once per graph version
(:meth:`kg.runtime.QueryService.remember`); a search (one per keystroke of a type-ahead) only compares.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from kg.errors import InvalidArgument
from kg.model.iris import kind_of_iri
from kg.model.kinds import KINDS, kind_by_slug
from kg.model.records import EntitySummary
from kg.runtime import QueryService

__all__ = ["MATCH_LEVELS", "SearchHit", "search"]

#: how a name can match, best first
MATCH_LEVELS = ("exact", "prefix", "words", "contains")
_FIELD_ORDER = {("label", "en"): 0, ("label", "zh"): 1, ("label", ""): 1, ("alt", "en"): 2, ("alt", "zh"): 2,
                ("alt", ""): 2}
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchHit(EntitySummary):
    """An entity a search found: its summary, how its best name matched (one of :data:`MATCH_LEVELS`) and that
    name, when it is not the entity's English label (an alternative or Chinese name)."""

    match: str = "contains"
    matched_name: str | None = None


def _normal(text: str) -> str:
    """``text`` folded for comparison: NFKC, case-folded, dashes as spaces, spaces collapsed.

    >>> _normal("Red-Light  ＳＹＳＴＥＭ")
    'red light system'
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[\u2010-\u2015\-_/]+", " ", folded).split())


def _stemmer() -> Callable[[str], list[str]]:
    """A new English Snowball stemmer, as a function from normalised text to the stems of its words (a
    stemmer keeps state while it works, so each search makes its own: requests run in threads).

    >>> _stemmer()("pilot cities")
    ['pilot', 'citi']
    """
    import snowballstemmer

    stemmer = snowballstemmer.stemmer("english")
    return lambda text: stemmer.stemWords(_WORD.findall(text))


def _level(query: str, query_stems: list[str], name: str, name_stems: tuple[str, ...]) -> int | None:
    """The index in :data:`MATCH_LEVELS` of how ``name`` (with its stems) matches ``query`` (both normalised), or None.

    >>> _level("pilot city", ["pilot", "citi"], "national pilot cities", ("nation", "pilot", "citi"))
    2
    >>> _level("教育部", [], "中华人民共和国教育部", ())
    3
    """
    if name == query:
        return 0
    if name.startswith(query):
        return 1
    if query_stems and all(any(stem.startswith(q) for stem in name_stems) for q in query_stems):
        return 2
    return 3 if query in name else None


@dataclass(frozen=True)
class _Name:
    """One name of an entity, folded and stemmed once per graph version."""

    iri: str
    kind: str  # its kind's plural
    name: str
    field: str  # "label" or "alt"
    lang: str
    normal: str
    stems: tuple[str, ...]
    type: str | None


def _names(service: QueryService) -> tuple[_Name, ...]:
    """Every name of every listed entity, read, folded and stemmed once per graph version."""
    def read() -> tuple[_Name, ...]:
        stems = _stemmer()
        plural = {spec.rdf_class: name for name, spec in KINDS.items()}
        rows = service.select("entity_names", [{"class": ("iri", spec.rdf_class)} for spec in KINDS.values()])
        out = []
        for row in rows:
            name = row["name"]["value"]
            normal = _normal(name)
            out.append(_Name(row["entity"]["value"], plural[row["class"]["value"]], name, row["field"]["value"],
                             row["name"].get("xml:lang", ""), normal, tuple(stems(normal)) if normal.isascii() else (),
                             row["type"]["value"].rsplit("#", 1)[-1] if "type" in row else None))
        return tuple(out)
    return service.remember("search:names", read)


def search(service: QueryService, q: str, *, limit: int = 20, kind: str | None = None) -> tuple[SearchHit, ...]:
    """The entities (of every listed kind, or of ``kind``) with a name matching ``q``, best first.

    Raises
    ------
    kg.errors.InvalidArgument
        If ``kind`` is not a listed kind's plural.
    kg.errors.QueryError, kg.errors.StoreUnavailable
        As the query service raises them.
    """
    if kind is not None and kind not in KINDS:
        raise InvalidArgument(f"no kind {kind!r}; known: {', '.join(KINDS)}")
    query = _normal(q)
    if not query:
        return ()
    query_stems = _stemmer()(query) if query.isascii() else []
    base = service.settings.base_iri
    best: dict[str, tuple[tuple[int, bool, int, int, str], str, str]] = {}  # iri -> (rank, name, field)
    labels: dict[str, dict[str, str]] = {}
    types: dict[str, str] = {}
    for entry in _names(service):
        if kind not in (None, entry.kind):
            continue
        iri, name, field, lang = entry.iri, entry.name, entry.field, entry.lang
        if field == "label" and lang in ("en", "zh"):
            labels.setdefault(iri, {})[lang] = name
        if entry.type:
            types[iri] = min(types.get(iri, "~"), entry.type)
        level = _level(query, query_stems, entry.normal, entry.stems)
        if level is None:
            continue
        derived = not KINDS[entry.kind].curated  # a figure or an issue, after the things
        rank = (level, derived, _FIELD_ORDER.get((field, lang), 2), len(name), name)
        if iri not in best or rank < best[iri][0]:
            best[iri] = (rank, name, field)
    ordered = sorted(best.items(), key=lambda item: (item[1][0], item[0]))[:limit]
    hits = []
    for iri, (rank, name, _) in ordered:
        slug, ident = kind_of_iri(iri, base) or ("", iri)
        spec = kind_by_slug(slug)
        label = labels.get(iri, {}).get("en", name)
        hits.append(SearchHit(ident, spec.plural if spec else slug, iri, label, labels.get(iri, {}).get("zh"),
                              types.get(iri), match=MATCH_LEVELS[rank[0]],
                              matched_name=None if name == label else name))
    return tuple(hits)
