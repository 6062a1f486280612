"""Proposals from a document: policy documents, actors, places, mechanisms and problems, and the contract
links between them, each anchored in the text (a verbatim phrase and its section) with a confidence and,
where one fits, the known entity it may be (proposed, never merged)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.ingest.gazetteer import Gazetteer, Known, Match, normalise_name
from kg.ingest.patterns import (action_phrases, anchor_around, find_dates, find_numbers, find_organisations,
                       find_policy_titles, genre_of, has_issue_verb, issue_verb_at, label_from_heading,
                       mechanism_phrases, problem_phrases, slug, years_in)
from kg.ingest.text import Document, Sentence

__all__ = ["Anchor", "LinkProposal", "Proposal", "Proposals", "extract"]

_PROBLEM_HEADING = re.compile(r"issue|problem|challenge|dilemma|difficult|bottleneck|shortcoming|obstacle|"
                              r"barrier|constraint|deficien|predicament", re.IGNORECASE)
_MECHANISM_HEADING = re.compile(r"mechanism|path|strateg|measure|model|construction|safeguard", re.IGNORECASE)
_CAUSE_HEADING = re.compile(r"cause|reason|root", re.IGNORECASE)
_ADDRESS_CUE = re.compile(r"\b(?:solve|solving|address|addressing|tackle|overcome|resolve|alleviate|mitigate|"
                          r"break(?:ing)? down|bridge|remedy|eliminate|reduce)\b", re.IGNORECASE)
_CAUSE_CUE = re.compile(r"\b(?:because|due to|caused by|rooted in|stems? from|result(?:s|ing)? from|"
                        r"reason|lead(?:s)? to)\b", re.IGNORECASE)
_PLACE = re.compile(r"\b((?:[A-Z][a-z]+\s){1,2}(?:District|County|New Area|(?:Economic(?:\sand\sTechnological)?|"
                    r"High-[Tt]ech(?:nology)?(?:\sIndustrial)?)\sDevelopment\sZone|Development\sZone))\b")
_SKIP_SECTIONS = {"References", "Acknowledgements", "Funding", "Keywords", "Title", "Affiliation", "Affiliations"}
_ACTOR_TYPES = (("University", "University"), ("College", "University"), ("School", "University"),
                ("Institute", "ResearchInstitute"), ("Academy", "ResearchInstitute"), ("Co., Ltd.", "Enterprise"),
                ("Company", "Enterprise"), ("Corporation", "Enterprise"), ("Group", "Enterprise"),
                ("Association", "Association"), ("Federation", "Association"), ("Alliance", "ConsortiumOrPlatform"),
                ("Consortium", "ConsortiumOrPlatform"), ("Park", "ConsortiumOrPlatform"),
                ("Committee", "PartyBody"), ("Ministry", "GovernmentBody"), ("Commission", "GovernmentBody"),
                ("Council", "GovernmentBody"), ("Bureau", "GovernmentBody"), ("Office", "GovernmentBody"),
                ("Department", "GovernmentBody"), ("Government", "GovernmentBody"),
                ("Administration", "GovernmentBody"))


@dataclass(frozen=True)
class Anchor:
    """Where a proposal comes from: a verbatim phrase (at most 12 words), its section and line."""

    section: str
    phrase: str
    line: int


@dataclass
class LinkProposal:
    """A proposed contract link from one proposal (by key) to another proposal or a known entity."""

    field: str
    target_kind: str
    target: str  # a proposal key, or a known entity's id when ``known`` is true
    known: bool
    anchor: Anchor
    confidence: float
    support: str = "stated"


@dataclass
class Proposal:
    """A proposed entity. ``match`` is the known entity it may be; ``key`` is its id if accepted as new."""

    kind: str
    key: str
    label: str
    type: str
    anchors: list[Anchor]
    confidence: float
    match: Match | None = None
    values: dict[str, list[tuple[str, Anchor, str]]] = field(default_factory=dict)  # field -> (value, anchor, support)
    links: list[LinkProposal] = field(default_factory=list)

    @property
    def ref(self) -> tuple[str, bool]:
        """(id, known): the known entity's id when matched, else the proposal's own key."""
        return (self.match.known.id, True) if self.match else (self.key, False)


@dataclass
class Proposals:
    """Every proposal of one document, by (kind, normalised label)."""

    source_id: str
    items: dict[tuple[str, str], Proposal] = field(default_factory=dict)
    last_issuers: list[Proposal] = field(default_factory=list)  # who issued the last policy ("it issued")
    frameworks: list[tuple[str, Anchor, list[Proposal]]] = field(default_factory=list)  # label, anchor, tops

    def add(self, kind: str, label: str, type_: str, anchor: Anchor, confidence: float,
            gazetteer: Gazetteer, known: Known | None = None) -> Proposal:
        """The proposal for ``label`` (created, or found and given one more anchor)."""
        name = normalise_name(known.label if known else label)
        key = (kind, known.id if known else name)
        proposal = self.items.get(key)
        if proposal is None:
            match = Match(known, 100.0, label) if known else gazetteer.match(kind, label)
            if match and (kind, match.known.id) in self.items:
                proposal = self.items[(kind, match.known.id)]
            else:
                proposal = Proposal(kind, slug(label), label if not known else known.label,
                                    type_ or (match.known.type if match else ""), [], confidence, match)
                self.items[(kind, match.known.id) if match else key] = proposal
        if anchor not in proposal.anchors:
            proposal.anchors.append(anchor)
        proposal.confidence = max(proposal.confidence, confidence)
        return proposal

    def of_kind(self, kind: str) -> list[Proposal]:
        """Proposals of one kind, in order of first appearance."""
        return [p for (k, _), p in self.items.items() if k == kind]


def _known_mentions(sentence: str, gazetteer: Gazetteer, patterns: dict[str, re.Pattern]) -> list[tuple[Known, int, int]]:
    out = []
    for kind, pattern in patterns.items():
        for m in pattern.finditer(sentence):
            wanted = normalise_name(m.group(0))
            candidates = [k for k in gazetteer.names().get(wanted, []) if k.kind == kind]
            if candidates:
                out.append((candidates[0], m.start(), m.end()))
    return out


def _name_pattern(names: list[str]) -> re.Pattern | None:
    parts = []
    for name in sorted(set(names), key=len, reverse=True):
        if len(name) < 4 and not re.search(r"[\u4e00-\u9fff]", name):
            continue
        words = [re.escape(w) for w in re.split(r"[\s\-‐–—]+", name.strip()) if w]
        if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):
            words[-1] = words[-1][:-1]  # "eastern regions" also finds "eastern region"
        body = r"[\s\-‐–—]+".join(words)
        parts.append(body if re.search(r"[\u4e00-\u9fff]", name) else rf"(?<![\w-]){body}s?(?![\w-])")
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def extract(document: Document, source_id: str, gazetteer: Gazetteer) -> Proposals:
    """Every proposal for ``document``, cited as ``source_id``, matching against ``gazetteer``."""
    proposals = Proposals(source_id)
    patterns = {kind: p for kind in ("actors", "regions", "mechanisms", "problems", "policies")
                if (p := _name_pattern([n for e in gazetteer.of_kind(kind) for n in e.names])) is not None}
    heading_of = {s.name: s.heading for s in document.sections}
    last_year: int | None = None
    for sentence in document.sentences():
        if sentence.section in ("Title", "Affiliation", "Affiliations"):  # the authors' institutions
            for name, start in find_organisations(sentence.text):
                proposals.add("actors", name, "University" if re.search(r"University|College", name) else "",
                              _anchor(sentence, start, len(name)), 0.6, gazetteer)
        if sentence.section in _SKIP_SECTIONS:
            continue
        last_year = _read_sentence(sentence, proposals, gazetteer, patterns, heading_of, last_year)
    _heading_proposals(document, proposals, gazetteer)
    _references(document, proposals, gazetteer, patterns)
    return proposals


def _references(document: Document, proposals: Proposals, gazetteer: Gazetteer, patterns: dict) -> None:
    """A reference to a policy already proposed gives its issuer (the reference's author), its date
    ("[EB/OL]. (2019-02-13)") and its number."""
    from rapidfuzz import fuzz

    for section in document.sections:
        if section.name != "References":
            continue
        for offset, line in enumerate(section.text.splitlines()):
            text = " ".join(line.split())
            if not re.search(r"\(\d{4}-\d{2}-\d{2}\)|EB/OL|\[Z\]", text):
                continue
            def fit(policy: Proposal) -> float:
                names = [policy.label, *(policy.match.known.names if policy.match else ())]
                return max(fuzz.token_set_ratio(normalise_name(n), normalise_name(text)) for n in names)
            best = max(proposals.of_kind("policies"), default=None, key=fit)
            if best is None or fit(best) < 85:
                continue
            sentence = Sentence("References", text, section.first_line + 1 + offset)
            date = re.search(r"\((\d{4}-\d{2}-\d{2})\)", text)
            if date and not any(v == date.group(1) for v, _, _ in best.values.get("issued", [])):
                best.values.setdefault("issued", []).append((date.group(1), _anchor(sentence, date.start(), 12),
                                                             "stated"))
            for number in find_numbers(text):
                best.values.setdefault("number", []).append((number, _anchor(sentence, text.find(number),
                                                                             len(number)), "stated"))
            author = re.split(r"\(\d{4}\)", text, maxsplit=1)[0]
            for known, start, end in _known_mentions(author, gazetteer, {"actors": patterns.get("actors")}
                                                     if patterns.get("actors") else {}):
                actor = proposals.add("actors", known.label, known.type, _anchor(sentence, start, end - start), 0.7,
                                      gazetteer, known)
                _link(best, "issued_by", actor, sentence, start, 0.6)
            if not any(link.field == "issued_by" for link in best.links):
                for name, start in find_organisations(author):
                    actor = proposals.add("actors", name, "GovernmentBody", _anchor(sentence, start, len(name)), 0.5,
                                          gazetteer)
                    _link(best, "issued_by", actor, sentence, start, 0.5)


def _anchor(sentence: Sentence, start: int, length: int) -> Anchor:
    return Anchor(sentence.section, anchor_around(sentence.text, max(0, start), length), sentence.line)


def _read_sentence(sentence: Sentence, proposals: Proposals, gazetteer: Gazetteer, patterns: dict,
                   heading_of: dict[str, str], last_year: int | None) -> int | None:
    text = sentence.text
    found: dict[str, list[tuple[Proposal, int]]] = {k: [] for k in ("policies", "actors", "regions", "mechanisms",
                                                                     "problems")}
    for known, start, end in _known_mentions(text, gazetteer, patterns):
        p = proposals.add(known.kind, known.label, known.type, _anchor(sentence, start, end - start), 0.9,
                          gazetteer, known)
        found[known.kind].append((p, start))
    for title, start in find_policy_titles(text):
        p = proposals.add("policies", title, genre_of(title), _anchor(sentence, start, len(title)), 0.8, gazetteer)
        found["policies"].append((p, start))
    for name, start in find_organisations(text):
        type_ = next((t for word, t in _ACTOR_TYPES if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", name)), "")
        p = proposals.add("actors", name, type_, _anchor(sentence, start, len(name)), 0.6, gazetteer)
        if p not in [q for q, _ in found["actors"]]:
            found["actors"].append((p, start))
    for m in _PLACE.finditer(text):
        name = m.group(1)
        kind_word = name.split()[-1]
        p = proposals.add("regions", name, "Zone" if kind_word in ("Zone", "Area", "City") and "Zone" in name or
                          kind_word == "Area" else "District", _anchor(sentence, m.start(1), len(name)), 0.6,
                          gazetteer)
        if p not in [q for q, _ in found["regions"]]:
            found["regions"].append((p, m.start(1)))
    section_heading = heading_of.get(sentence.section, "")
    for phrase, start in mechanism_phrases(text):
        p = proposals.add("mechanisms", phrase, "", _anchor(sentence, start, len(phrase)), 0.6, gazetteer)
        if p not in [q for q, _ in found["mechanisms"]]:
            found["mechanisms"].append((p, start))
    mechanism_section = _MECHANISM_HEADING.search(section_heading) or _MECHANISM_HEADING.search(
        heading_of.get(sentence.section.rsplit(".", 1)[0], "") if "." in sentence.section else "")
    if mechanism_section:
        for phrase, start in action_phrases(text):
            p = proposals.add("mechanisms", phrase, "", _anchor(sentence, start, len(phrase)), 0.5, gazetteer)
            if p not in [q for q, _ in found["mechanisms"]]:
                found["mechanisms"].append((p, start))
    in_problem_section = bool(_PROBLEM_HEADING.search(section_heading)) or bool(
        _PROBLEM_HEADING.search(heading_of.get(sentence.section.split(".")[0], "")))
    for phrase, start in problem_phrases(text):
        p = proposals.add("problems", phrase, "", _anchor(sentence, start, len(phrase)),
                          0.7 if in_problem_section else 0.5, gazetteer)
        found["problems"].append((p, start))
    _values(sentence, found["policies"], last_year)
    _links(sentence, found, proposals)
    years = years_in(text)
    return years[-1] if years else last_year


def _issued(policies: list[tuple[Proposal, int]], verb: int | None) -> Proposal:
    """The policy a sentence says was issued: the first named after the issuing verb, else the first."""
    after = sorted((at, p.key) for p, at in policies if verb is not None and at > verb)
    if after:
        return next(p for p, at in policies if at == after[0][0])
    return min(policies, key=lambda item: item[1])[0]


def _values(sentence: Sentence, policies: list[tuple[Proposal, int]], last_year: int | None) -> None:
    if not policies:
        return
    text = sentence.text
    dates = find_dates(text, last_year)
    numbers = find_numbers(text)
    verb = issue_verb_at(text)
    first = _issued(policies, verb)
    opening = bool(dates) and dates[0].start <= 3 and any(at - dates[0].start < 80 for _, at in policies)
    if dates and (has_issue_verb(text) or opening):
        date = dates[0]
        issued = [p for p, at in policies if verb is not None and at > verb] or [first]
        for policy in [p for i, p in enumerate(issued) if all(p is not q for q in issued[:i])]:  # one date for all
            if not any(v == date.value for v, _, _ in policy.values.get("issued", [])):
                policy.values.setdefault("issued", []).append(
                    (date.value, _anchor(sentence, date.start, len(date.phrase)),
                     "resolved" if date.resolved else "stated"))
    for number in numbers:
        first.values.setdefault("number", []).append((number, _anchor(sentence, text.find(number), len(number)),
                                                      "stated"))


def _link(source: Proposal, field_: str, target: Proposal, sentence: Sentence, start: int, confidence: float) -> None:
    ident, known = target.ref
    if source is target or any(l.field == field_ and l.target == ident for l in source.links):
        return
    source.links.append(LinkProposal(field_, target.kind, ident, known, _anchor(sentence, start, 1), confidence))


def _links(sentence: Sentence, found: dict[str, list[tuple[Proposal, int]]], proposals: Proposals) -> None:
    text = sentence.text
    issuing = has_issue_verb(text)
    verb = issue_verb_at(text)
    for policy, start in found["policies"]:
        for actor, at in found["actors"]:
            inside = start < at < start + len(policy.label) + 2
            if inside and re.search(r"\bof the\s*$", text[start:at]) and text[start:at].count(" ") < 4:
                _link(policy, "issued_by", actor, sentence, at, 0.6)
        if issuing and verb is not None and start > verb:
            before = [(actor, at) for actor, at in found["actors"] if at < verb and actor.type in
                      ("GovernmentBody", "PartyBody", "")]
            if not before and re.search(r"\b(?:it|they)\s+(?:also\s+|then\s+|jointly\s+)?(?:issued|released)\b",
                                        text, re.IGNORECASE):
                pronoun = re.search(r"\b(?:it|they)\b", text, re.IGNORECASE)
                before = [(actor, pronoun.start()) for actor in proposals.last_issuers]
            for actor, at in before:
                _link(policy, "issued_by", actor, sentence, at, 0.7)
            if before:
                proposals.last_issuers = [actor for actor, _ in before]
        for mechanism, at in found["mechanisms"]:
            _link(policy, "establishes", mechanism, sentence, at, 0.5)
        for region, at in found["regions"]:
            _link(policy, "applies_to", region, sentence, at, 0.5)
    addressing = bool(_ADDRESS_CUE.search(text))
    for mechanism, start in found["mechanisms"]:
        for problem, at in found["problems"]:
            _link(mechanism, "addresses", problem, sentence, at, 0.6 if addressing else 0.4)
        for actor, at in found["actors"]:
            _link(mechanism, "involves", actor, sentence, at, 0.5)
    for actor, start in found["actors"]:
        for region, at in found["regions"]:
            if region.label.split()[0] in actor.label or re.search(r"\b(?:in|of|located)\b", text):
                _link(actor, "located_in", region, sentence, at, 0.5)
    for region, start in found["regions"]:
        for problem, at in found["problems"]:
            _link(region, "faces", problem, sentence, at, 0.4)
    if _CAUSE_CUE.search(text) and len(found["problems"]) >= 2:
        effect, _ = found["problems"][0]
        for cause, at in found["problems"][1:]:
            _link(effect, "causes", cause, sentence, at, 0.4)


def _heading_proposals(document: Document, proposals: Proposals, gazetteer: Gazetteer) -> None:
    """Mechanisms and problems named by section headings, the phrases below them as their narrower ones."""
    parent_heading = {s.name: s.heading for s in document.sections}
    heads: dict[str, Proposal] = {}
    for section in document.sections:
        if not section.heading or not section.name[0].isdigit() or section.name in _SKIP_SECTIONS:
            continue
        parent = parent_heading.get(section.name.rsplit(".", 1)[0], "") if "." in section.name else ""
        label = label_from_heading(section.heading)
        raw = document.text.splitlines()[section.first_line - 1]
        words = re.sub(r"^[\s#*]*\d+(?:\.\d+)*\.?\s*", "", raw).strip(" *#").split()
        anchor = Anchor(section.name, " ".join(words[:12]).rstrip("*"), section.first_line)
        if re.search(r"\bmechanism\b", section.heading, re.IGNORECASE) and "." in section.name:
            heads[section.name] = proposals.add("mechanisms", label, "", anchor, 0.8, gazetteer)
        elif "." in section.name and _PROBLEM_HEADING.search(parent) and not _CAUSE_HEADING.search(section.heading):
            heads[section.name] = proposals.add("problems", label, "", anchor, 0.8, gazetteer)
    # a section whose subsections each construct a mechanism: a framework with those as its top mechanisms
    by_parent: dict[str, list[Proposal]] = {}
    for name, head in heads.items():
        if head.kind == "mechanisms" and name.count(".") == 1:
            by_parent.setdefault(name.split(".")[0], []).append(head)
    for parent, tops in by_parent.items():
        section = next((s for s in document.sections if s.name == parent), None)
        if len(tops) >= 2 and section is not None and section.heading:
            raw = document.text.splitlines()[section.first_line - 1]
            words = re.sub(r"^[\s#*]*\d+(?:\.\d+)*\.?\s*", "", raw).strip(" *#").split()
            names = [re.sub(r"\s+mechanism$", "", t.label, flags=re.IGNORECASE).lower() for t in tops]
            label = (f"{len(tops)}-mechanism framework of " + ", ".join(names[:-1]) + f" and {names[-1]}")
            proposals.frameworks.append((label[0].upper() + label[1:],
                                         Anchor(parent, " ".join(words[:12]).rstrip("*"), section.first_line), tops))
    # what a section under a mechanism or problem heading names is narrower than the heading's
    for kind in ("mechanisms", "problems"):
        for proposal in proposals.of_kind(kind):
            for anchor in proposal.anchors:
                head = heads.get(anchor.section)
                if head is not None and head.kind == kind and head is not proposal and not proposal.match:
                    ident, known = head.ref
                    if not any(l.field == "broader" for l in proposal.links):
                        proposal.links.append(LinkProposal("broader", kind, ident, known, anchor, 0.5))
    # a paper about China: the problems it names are faced in China (implied, as the curators record it)
    china = next((p for p in proposals.of_kind("regions") if p.match and p.match.known.id == "china"), None)
    if china is not None:
        for problem in proposals.of_kind("problems"):
            ident, known = problem.ref
            china.links.append(LinkProposal("faces", "problems", ident, known, problem.anchors[0], 0.3, "implied"))
