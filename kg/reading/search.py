"""Search over every name of every listed entity, ranked by how well a name matches.

A name matches when it equals the query, starts with it, holds each of its words (English words compared
by their Snowball stems, so "pilot city" finds "pilot cities"), or contains it (as Chinese text is
matched). Each entity is ranked by its best name: an exact match first, then a prefix, whole words, then
any substring; at the same level its English label before its Chinese one before an alternative label,
then shorter names first.
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


def _level(query: str, query_stems: list[str], name: str, stems: Callable[[str], list[str]]) -> int | None:
    """The index in :data:`MATCH_LEVELS` of how ``name`` matches ``query`` (both normalised), or None.

    >>> _level("pilot city", ["pilot", "citi"], "national pilot cities", _stemmer())
    2
    >>> _level("教育部", [], "中华人民共和国教育部", _stemmer())
    3
    """
    if name == query:
        return 0
    if name.startswith(query):
        return 1
    if query_stems:
        name_stems = stems(name)
        if all(any(stem.startswith(q) for stem in name_stems) for q in query_stems):
            return 2
    return 3 if query in name else None


def _plural_of_class(rdf_class: str) -> str:
    return next(plural for plural, spec in KINDS.items() if spec.rdf_class == rdf_class)


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
    stems = _stemmer()
    query_stems = stems(query) if query.isascii() else []
    classes = [spec.rdf_class for name, spec in KINDS.items() if kind in (None, name)]
    rows = service.select("entity_names", [{"class": ("iri", c)} for c in classes])
    base = service.settings.base_iri
    best: dict[str, tuple[tuple[int, bool, int, int, str], str, str]] = {}  # iri -> (rank, name, field)
    labels: dict[str, dict[str, str]] = {}
    types: dict[str, str] = {}
    for row in rows:
        iri, name, field = row["entity"]["value"], row["name"]["value"], row["field"]["value"]
        lang = row["name"].get("xml:lang", "")
        if field == "label" and lang in ("en", "zh"):
            labels.setdefault(iri, {})[lang] = name
        if "type" in row:
            types[iri] = min(types.get(iri, "~"), row["type"]["value"].rsplit("#", 1)[-1])
        level = _level(query, query_stems, _normal(name), stems)
        if level is None:
            continue
        derived = not KINDS[_plural_of_class(row["class"]["value"])].curated  # a figure or an issue, after the things
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
