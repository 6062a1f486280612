"""Descriptions: the curators' paraphrase of what a source says an entity is, traced to source and sections.

A data file may hold a top-level ``descriptions:`` list::

    descriptions:
      - about: evaluation-mechanism
        en: >-
          What the paper says the mechanism is, in the curators' words.
        zh: （可选）中文
        from: [{src: zhang-qu-2025, sec: "5.3"}, {sec: "Abstract"}]

In RDF the entity gets ``dcterms:description`` (``@en``, and ``@zh`` where given), and a
``seikg:Description`` node (``<base>id/description/<about>-<n>``) says which source and sections the
paraphrase comes from: ``seikg:describes`` the entity, ``rdf:value`` the texts, ``seikg:inSource`` and
``seikg:section``. A paraphrase has no anchor: it quotes nothing.
"""
from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from kg.build.state import BuildState
from kg.build.yamlfile import Located
from kg.model.iris import entity_prefix
from kg.model.vocab import SEIKG

__all__ = ["DESCRIPTION_FIELDS", "FROM_FIELDS", "emit_descriptions"]

#: fields of one description
DESCRIPTION_FIELDS = ("about", "en", "zh", "from")
#: fields of one item of its ``from`` list
FROM_FIELDS = ("src", "sec")


#: a space between two Chinese characters or punctuation marks (left by folded YAML lines)
_CJK_GAP = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def emit_descriptions(build: BuildState, items: list[tuple[Located, str]]) -> None:
    """Emit every description, recording a problem (file, line, entry, field) for each bad one."""
    counts: dict[str, int] = {}
    for item, path in items:
        ident = str(item.get("about", ""))
        if build.refuse_unknown_fields(item, path, ident, DESCRIPTION_FIELDS, "descriptions"):
            continue
        entry = build.entries.get(ident)
        if entry is None:
            build.issue(path, item.line_of("about") or item.line, ident, "about", f"unknown entry {ident!r}")
            continue
        english, chinese = item.get("en"), item.get("zh")
        if not isinstance(english, str) or len(english.split()) < 3:
            build.issue(path, item.line_of("en") or item.line, ident, "en",
                        "required: the description in English, in the curators' words")
            continue
        if chinese is not None and (not isinstance(chinese, str) or not _chinese(chinese)):
            build.issue(path, item.line_of("zh"), ident, "zh", "must be the description in Chinese")
            continue
        citations = _citations(build, item, path, ident)
        if not citations:
            continue
        subject = build.iri_of(ident)
        counts[ident] = counts.get(ident, 0) + 1
        node = URIRef(f"{entity_prefix(build.settings.base_iri)}description/{ident}-{counts[ident]}")
        texts = [Literal(" ".join(english.split()), lang="en")]
        if chinese:
            texts.append(Literal(_CJK_GAP.sub("", " ".join(chinese.split())), lang="zh"))
        g = build.graph
        g.add((node, RDF.type, SEIKG.Description))
        g.add((node, SEIKG.describes, subject))
        for text in texts:
            g.add((subject, DCTERMS.description, text))
            g.add((node, RDF.value, text))
        for src, sec in citations:
            g.add((node, SEIKG.inSource, build.iri_of(src)))
            g.add((node, SEIKG.section, Literal(sec)))


def _citations(build: BuildState, item: Located, path: str, ident: str) -> list[tuple[str, str]]:
    """The ``from`` list as (source id, section) pairs; a missing ``src`` repeats the previous one."""
    cited = item.get("from")
    if not isinstance(cited, list) or not cited:
        build.issue(path, item.line_of("from") or item.line, ident, "from",
                    "required: a list of {src, sec} the description comes from")
        return []
    pairs: list[tuple[str, str]] = []
    source = ""
    for part in cited:
        line = getattr(part, "line", item.line)
        if not isinstance(part, dict) or any(key not in FROM_FIELDS for key in part):
            build.issue(path, line, ident, "from", "each item is {src: SOURCE_ID, sec: \"SECTION\"}")
            return []
        source = str(part.get("src", source))
        entry = build.entries.get(source)
        if entry is None or entry.kind.key != "sources":
            build.issue(path, line, ident, "from.src", f"{source!r} must be the id of one of the sources")
            return []
        section = part.get("sec")
        if not isinstance(section, str) or not section.strip():
            build.issue(path, line, ident, "from.sec", "required: the section, quoted (\"4.1\")")
            return []
        pairs.append((source, section.strip()))
    return pairs
