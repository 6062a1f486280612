"""Search over every name of every listed entity, and then over their descriptions, ranked by how well it matches.

The names are the labels, the alternative labels, and a source's authors, DOI and venue. A name matches
when it equals the query, starts with it, holds each of its words (English words compared by their
Snowball stems, so "pilot city" finds "pilot cities"; every word but the last must be a whole word, the
last may be the start of one, as it is typed), or contains it (Chinese text anywhere, English text from
the start of a word, so "RPA" does not find "counterpart"). A description matches in the same ways,
ranked after every name ("text"), and the hit carries a snippet of it. Each entity is ranked by its best
match: an exact match first, then a prefix, whole words, then a substring, then its description; at the
same level its English label before its Chinese one before an alternative label before an author or
identifier, whole words before a word's start, then shorter names first. The names are read, folded and stemmed once per graph version
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
MATCH_LEVELS = ("exact", "prefix", "words", "contains", "text")
_FIELD_ORDER = {("label", "en"): 0, ("label", "zh"): 1, ("label", ""): 1, ("alt", "en"): 2, ("alt", "zh"): 2,
                ("alt", ""): 2}  # then an author, a DOI or a venue (3)
_TEXT = "description"  # the field whose matches rank after every name's
_SNIPPET = 90  # characters of a description shown on each side of a match
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchHit(EntitySummary):
    """An entity a search found: its summary, how its best name matched (one of :data:`MATCH_LEVELS`) and that
    name, when it is not the entity's English label (an alternative or Chinese name)."""

    match: str = "contains"
    matched_name: str | None = None
    snippet: str | None = None  # where the query is found in its description ("text" matches)


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


def _level(query: str, query_stems: list[str], name: str, name_stems: tuple[str, ...]) -> tuple[int, int] | None:
    """How ``name`` (with its stems) matches ``query`` (both normalised): the index in :data:`MATCH_LEVELS`
    and how many query words matched only as a word's start; or None.

    >>> _level("pilot city", ["pilot", "citi"], "national pilot cities", ("nation", "pilot", "citi"))
    (2, 0)
    >>> _level("pilot ci", ["pilot", "ci"], "national pilot cities", ("nation", "pilot", "citi"))
    (2, 1)
    >>> _level("na li", ["na", "li"], "national liberal arts", ("nation", "liber", "art")) is None
    True
    >>> _level("教育部", [], "中华人民共和国教育部", ())
    (3, 0)
    >>> _level("rpa", ["rpa"], "counterpart support", ("counterpart", "support")) is None
    True
    """
    if name == query:
        return 0, 0
    if name.startswith(query):
        return 1, 0
    if query_stems:
        partial = 0
        for position, q in enumerate(query_stems):
            if q in name_stems:
                continue
            if position == len(query_stems) - 1 and any(stem.startswith(q) for stem in name_stems):
                partial += 1
                continue
            break
        else:
            return 2, partial
    if query.isascii():
        return (3, 0) if re.search(rf"(?<!\w){re.escape(query)}", name) else None
    return (3, 0) if query in name else None


def _snippet(text: str, query: str) -> str:
    """The part of ``text`` around the first of the query's words it holds, with an ellipsis where cut.

    >>> _snippet("The pilot cities of the first batch were chosen in 2019.", "pilot")
    'The pilot cities of the first batch were chosen in 2019.'
    """
    words = _WORD.findall(query) or [query]
    found = next((m for word in words if (m := re.search(re.escape(word[:6]), text, re.IGNORECASE))), None)
    if found is None:
        return text[:2 * _SNIPPET] + ("…" if len(text) > 2 * _SNIPPET else "")
    start, end = max(0, found.start() - _SNIPPET), min(len(text), found.end() + _SNIPPET)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


@dataclass(frozen=True)
class _Name:
    """One name of an entity, folded and stemmed once per graph version."""

    iri: str
    kind: str  # its kind's plural
    name: str
    field: str  # "label", "alt", "author", "doi", "venue" or "description"
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
                             row["name"].get("xml:lang", ""), normal, tuple(stems(normal)),
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
        found = _level(query, query_stems, entry.normal, entry.stems)
        if found is None or (field == _TEXT and found[0] < 2):  # a description is not a name: no exact match
            continue
        level, partial = (len(MATCH_LEVELS) - 1, found[1]) if field == _TEXT else found
        derived = not KINDS[entry.kind].curated  # a figure or an issue, after the things
        rank = (level, derived, _FIELD_ORDER.get((field, lang), 3), partial, len(name), name)
        if iri not in best or rank < best[iri][0]:
            best[iri] = (rank, name, field)
    ordered = sorted(best.items(), key=lambda item: (item[1][0], item[0]))[:limit]
    hits = []
    for iri, (rank, name, field) in ordered:
        slug, ident = kind_of_iri(iri, base) or ("", iri)
        spec = kind_by_slug(slug)
        label = labels.get(iri, {}).get("en", name)
        text = field == _TEXT
        hits.append(SearchHit(ident, spec.plural if spec else slug, iri, label, labels.get(iri, {}).get("zh"),
                              types.get(iri), match=MATCH_LEVELS[rank[0]],
                              matched_name=None if text or name == label else name,
                              snippet=_snippet(name, q) if text else None))
    return tuple(hits)
