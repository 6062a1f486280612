"""The rules ingest reads text with: policy titles, issuing verbs, dates at their precision (relative ones
resolved), document numbers, organisation names, mechanism and problem phrases, and verbatim anchors."""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["DateMention", "action_phrases", "GENRES", "anchor_around", "find_dates", "find_numbers", "find_organisations",
           "find_policy_titles", "genre_of", "issue_verb_at", "label_from_heading", "mechanism_phrases", "problem_phrases", "slug"]

MONTHS = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                      "september", "october", "november", "december"), start=1)}
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"

#: Genre words of a policy title and the genre (class) each gives; the last genre word in a title wins
#: ("Notice on the Issuance of the ... Implementation Plan" is a Notice: the first one wins for "Notice").
GENRES = {"opinions": "Opinions", "opinion": "Opinions", "notice": "Notice", "circular": "Notice",
          "plan": "Plan", "programme": "Plan", "program": "Plan", "scheme": "Plan", "outline": "Outline",
          "measures": "Measures", "decision": "Decision", "report": "Report", "guidelines": "Guidelines",
          "guide": "Guidelines", "standards": "Standards", "law": "Measures", "regulations": "Measures"}
_GENRE = r"(?:Opinions?|Notice|Circular|Plan|Programme|Program|Scheme|Outline|Measures|Decision|Report|Guidelines|" \
         r"Guide|Standards|Law|Regulations)"
_SMALL = r"(?:of|on|for|the|and|in|to|a|an|through|by|with|at|from|as)"
_CAP = r"(?:[A-Z][\w'’-]*|\d{4}|\d{1,2}(?:st|nd|rd|th)|\((?:\d{4}\s*[-–—]\s*\d{4}|Trial(?: Implementation)?|Draft)\))"
_TITLE = rf"{_CAP}(?:\s+(?:{_SMALL}\s+)*{_CAP})*"
_AFTER_VERB = re.compile(rf"\b(?:issued|promulgated|released|published|introduced|formulated|launched|adopted)"
                         rf"\s+(?:the\s+)?[\"“*《]*({_TITLE})")
_QUOTED = re.compile(r"[\"“《*]\s*([A-Z][^\"”》*]{8,220}?)\s*[\"”》*]")
_LEADING = re.compile(rf"\b(?:[Tt]he\s+)?((?:Several\s+|National\s+|Implementation\s+|Action\s+)*{_GENRE}\s+"
                      rf"(?:of|on|for|to)\s+(?:the\s+)?{_TITLE})")
_REPORT = re.compile(rf"\b[Rr]eport (?:of|to) the ({_TITLE})")
_TRAILING = re.compile(rf"\b[Tt]he\s+((?:[A-Z][\w'’-]*\s+){{1,7}}(?:Implementation\s+)?{_GENRE}"
                       rf"(?:\s+(?:of|on|for|to)\s+(?:the\s+)?{_TITLE})?)\b")
_ISSUE_VERB = re.compile(r"\b(?:jointly\s+)?(?:issued|promulgated|released|published|formulated|adopted)\b")
_NUMBER = re.compile(r"(?:[A-Z][A-Za-z]*(?:\s?[A-Z][a-z]*){0,3}\s?[\[〔(]\d{4}[\]〕)]\s?No\.?\s?\d+|"
                     r"[\u4e00-\u9fff]{2,6}〔\d{4}〕\d+号)")
_ORG_HEAD = r"(?:University|College|Institute|Academy|Ministry|Commission|Council|Bureau|Office|Department|" \
            r"Association|Federation|Group|Corporation|Company|Co\., Ltd\.|Centre|Center|Alliance|Consortium|" \
            r"Administration|Committee|Government|Park|School)"
_NOT_ANOTHER = r"(?!(?:[A-Z][\w'’-]*\s+){0,4}(?:University|College|Institute|Academy|Group|Company|Corporation)\b)"
_ORG = re.compile(rf"\b((?:General Office of the\s+)?(?:Ministry|Department|Bureau|Commission|Office) of(?: the)?"
                  rf"(?:\s+(?:and\s+{_NOT_ANOTHER})?[A-Z][\w'’-]*)+|(?:[A-Z][\w'’-]*\s+(?:and\s+)?){{1,6}}{_ORG_HEAD}"
                  rf"(?:\s+of(?: the)?(?:\s+[A-Z][\w'’-]*)+)*)")
_STOP = {"the", "a", "an", "of", "and", "or", "to", "in", "on", "for", "with", "by", "as", "at", "from", "this",
         "that", "these", "those", "its", "their", "our", "such", "is", "are", "be", "been", "being", "was",
         "were", "establish", "establishing", "build", "building", "construct", "constructing", "improve",
         "improving", "perfect", "perfecting", "create", "creating", "form", "forming", "set", "setting",
         "up", "sound", "effective", "new", "existing", "current", "corresponding", "relevant", "related",
         "various", "whole", "entire", "overall", "each", "every", "which", "through", "via", "between",
         "should", "must", "will", "can", "need", "needs", "has", "have", "had", "not", "no", "also", "it",
         "into", "we", "us", "they", "them", "all", "more", "most", "further", "so", "than", "both",
         "strengthen", "strengthening", "optimise", "optimize", "optimising", "optimizing", "promote",
         "promoting", "explore", "exploring", "innovate", "innovating", "develop", "developing", "refine",
         "refining", "establishment", "construction", "improvement", "clear", "certain", "specific", "one",
         "two", "three", "first", "second", "third", "how", "what", "where", "when", "while", "why", "there",
         "core", "key", "important", "main", "basic", "fundamental", "necessary", "complete", "good", "strong",
         "long-term", "internal", "external", "corresponding", "unique", "perfect", "systematic", "scientific",
         "reasonable", "comprehensive", "diversified", "multiple", "multi", "diverse", "efficient", "sustainable"}
_MECHANISM_HEADS = ("mechanism", "mechanisms", "consortium", "consortia", "community", "communities", "alliance",
                    "alliances", "platform", "platforms")
_PROBLEM_CUE = re.compile(
    r"\b((?:lack of|lacking|insufficient|inadequate|weak|low|poor|limited|fragmented|single|singular|"
    r"mismatch(?:ed)?|misaligned|disconnect(?:ion|ed)?|separation|shortage of|imbalance(?:d)?|"
    r"unbalanced|uneven|superficial|shallow|outdated|unclear|vague|difficult(?:y|ies)? (?:in|to)|"
    r"barriers? to|obstacles? to|bottlenecks? in|gaps? between)\s+"
    r"(?:(?!\s+and\s+(?:lack|insufficient|inadequate|weak|low|poor|limited|fragmented))[^,.;:()\"“”]){3,70})",
    re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    """A date in a sentence: ISO value at its precision, the phrase, and whether it was resolved from context."""

    value: str
    phrase: str
    start: int
    resolved: bool = False


def slug(text: str, limit: int = 8) -> str:
    """An id from a label: ASCII kebab-case, at most ``limit`` words."""
    words = re.sub(r"[^a-z0-9]+", " ", text.lower().replace("'", "").replace("’", "")).split()
    words = [w for w in words if w not in {"the", "a", "an", "of", "on", "for", "and", "in", "to"}] or words
    return "-".join(words[:limit]) or "untitled"


def genre_of(title: str) -> str:
    """The genre of a policy title: its first genre word, "Notice" and "Decision" first."""
    words = [w.lower().strip("\"“”()") for w in title.split()]
    for preferred in ("notice", "decision", "opinions", "outline"):
        if words and words[0] == preferred:
            return GENRES[preferred]
    found = [GENRES[w] for w in words if w in GENRES]
    return found[-1] if found else "Plan"


def _trim_title(title: str) -> str:
    title = re.sub(r"\s+", " ", title).strip(" ,.;:\"“”*《》")
    while title.split() and title.split()[-1].lower() in {"of", "on", "for", "the", "and", "in", "to", "a",
                                                           "an", "through", "by", "with", "at", "from", "as"}:
        title = " ".join(title.split()[:-1])
    return title


def find_policy_titles(sentence: str) -> list[tuple[str, int]]:
    """Policy titles in ``sentence`` with their offsets: quoted titles, titles after an issuing verb, and
    titles that begin or end with a genre word. A title must contain a genre word."""
    found: dict[str, int] = {}
    for pattern in (_QUOTED, _AFTER_VERB, _LEADING, _TRAILING, _REPORT):
        for match in pattern.finditer(sentence):
            title = _trim_title(match.group(1))
            if pattern is _REPORT:
                if not re.search(r"Congress|Session|Conference|Plenum", title):
                    continue
                title = f"Report {match.group(0).split()[1]} the {title}"
            if len(title.split()) < 2 or not any(w.lower().strip("()") in GENRES for w in title.split()):
                continue
            start = match.start(1) if pattern is not _REPORT else match.start(0)
            same = [o for o, at in found.items() if (title in o or o in title) and abs(at - start) <= 4]
            if same:  # the same title found by two rules: keep the longer reading
                longer = max([title, *same], key=len)
                for other in same:
                    found.pop(other)
                found[longer] = start
                continue
            if title not in found:
                found[title] = start
    return sorted(found.items(), key=lambda item: item[1])


def has_issue_verb(sentence: str) -> bool:
    """True if the sentence says something was issued, promulgated, released, published or adopted."""
    return bool(_ISSUE_VERB.search(sentence))


def issue_verb_at(sentence: str) -> int | None:
    """The offset of the first issuing verb, or None."""
    match = _ISSUE_VERB.search(sentence)
    return match.start() if match else None


def find_dates(sentence: str, last_year: int | None) -> list[DateMention]:
    """Dates in ``sentence`` at their precision; "in April of the same year" takes ``last_year`` and is
    flagged as resolved."""
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(value: str, match: re.Match, resolved: bool = False) -> None:
        if any(s <= match.start() < e for s, e in taken):
            return
        taken.append(match.span())
        out.append(DateMention(value, match.group(0), match.start(), resolved))

    for m in re.finditer(rf"\b{_MONTH}\s+(\d{{1,2}}),\s*(\d{{4}})", sentence):
        add(f"{m.group(3)}-{MONTHS[m.group(1).lower()]:02d}-{int(m.group(2)):02d}", m)
    for m in re.finditer(r"\((\d{4})-(\d{2})-(\d{2})\)", sentence):
        add(f"{m.group(1)}-{m.group(2)}-{m.group(3)}", m)
    for m in re.finditer(rf"\b[Ii]n\s+{_MONTH}\s+of\s+the\s+same\s+year", sentence):
        if last_year:
            add(f"{last_year}-{MONTHS[m.group(1).lower()]:02d}", m, resolved=True)
    for m in re.finditer(rf"\b{_MONTH}\s+(\d{{4}})\b", sentence):
        add(f"{m.group(2)}-{MONTHS[m.group(1).lower()]:02d}", m)
    for m in re.finditer(r"\b(?:[Ii]n|[Ss]ince|[Bb]y)\s+((?:19|20)\d{2})\b(?!\s*[-–—])", sentence):
        add(m.group(1), m)
    return sorted(out, key=lambda d: d.start)


def years_in(sentence: str) -> list[int]:
    """Every four-digit year in the sentence, outside spans such as (2024-2035)."""
    text = re.sub(r"\(\d{4}\s*[-–—]\s*\d{4}\)", "", sentence)
    return [int(y) for y in re.findall(r"\b((?:19|20)\d{2})\b", text)]


def find_numbers(sentence: str) -> list[str]:
    """Document numbers: "Guo Ban Fa [2017] No. 95", "GF[2019]No.4", "国办发〔2017〕95号"."""
    return [m.group(0).strip() for m in _NUMBER.finditer(sentence)]


def find_organisations(sentence: str) -> list[tuple[str, int]]:
    """Named organisations: capitalised names ending in an organisation word, and "Ministry of ..."."""
    out = []
    for m in _ORG.finditer(sentence):
        name = re.sub(r"^(?:The|In|On|At|By|From|With|And|Under|For|Since|As)\s+", "", m.group(1)).strip()
        if len(name.split()) >= 2:
            out.append((name, m.start(1)))
    return out


def _phrase_before(words: list[str], end: int, limit: int = 5) -> list[str]:
    collected: list[str] = []
    index = end - 1
    while index >= 0 and len(collected) < limit:
        word = words[index].strip("\"“”'‘’()*")
        if not re.fullmatch(r"[A-Za-z][A-Za-z-]*", word) or word.lower() in _STOP:
            break
        collected.insert(0, word)
        if words[index].startswith(("(", "\"", "“")):
            break
        index -= 1
    return collected


def mechanism_phrases(sentence: str) -> list[tuple[str, int]]:
    """Noun phrases headed by mechanism, consortium, community, alliance or platform, with at least one
    modifier ("motivation mechanism", "municipal industry-education consortium")."""
    words = sentence.split()
    out = []
    for index, raw in enumerate(words):
        head = raw.lower().strip(".,;:\"”)*")
        if head not in _MECHANISM_HEADS or raw.rstrip(".,;:\"”)*").lower() != head:
            continue
        modifiers = _phrase_before(words, index)
        if modifiers:
            phrase = " ".join(modifiers + [raw.strip(".,;:\"”)*")])
            out.append((phrase[0].upper() + phrase[1:], sentence.find(phrase)))
    return out


_ACTION = re.compile(
    r"\b(?:establish(?:ing)?|build(?:ing)?|construct(?:ing)?|set(?:ting)? up|creat(?:e|ing)|develop(?:ing)?|"
    r"form(?:ing)?|implement(?:ing)?|carry(?:ing)? out|organi[sz](?:e|ing)|introduc(?:e|ing)|adopt(?:ing)?|"
    r"launch(?:ing)?|such as|including|through|featuring)\s+(?:an?\s+|the\s+)?"
    r"([a-z][\w'-]*(?:\s+(?!(?:to|so|which|that|and thus|in order)\b)[\w'-]+){1,8}?)(?=\s*[,.;:)]|\s+(?:to|so|which|"
    r"that|in order|and (?:to|thus|promote|improve|build|establish|form))\b)")


def action_phrases(sentence: str) -> list[tuple[str, int]]:
    """What a sentence says to establish, build, develop or include ("a risk compensation fund for
    industry-education integration", "dual-mentor joint teaching"): candidate mechanisms."""
    out = []
    for m in _ACTION.finditer(sentence):
        phrase = m.group(1).strip()
        words = phrase.split()
        if len(words) < 2 or words[0].lower() in _STOP or words[-1].lower() in _STOP:
            continue
        out.append((phrase[0].upper() + phrase[1:], m.start(1)))
    return out


def problem_phrases(sentence: str) -> list[tuple[str, int]]:
    """Phrases that name a problem ("lack of incentive mechanisms", "insufficient system design")."""
    out = []
    for m in _PROBLEM_CUE.finditer(sentence):
        phrase = " ".join(m.group(1).split()[:9]).rstrip(" -")
        phrase = re.sub(r"\s+(?:persists?|remains?|exists?|still|and|or|which|that|in order|so|to|as|is|are|has|"
                        r"have)$", "", phrase)
        if len(phrase.split()) >= 2:
            out.append((phrase[0].upper() + phrase[1:], m.start(1)))
    return out


def label_from_heading(heading: str) -> str:
    """A label from a section heading: no number, no "Construction of the", sentence case."""
    text = re.sub(r"^\s*\d+(?:\.\d+)*\.?\s*", "", heading).strip(" *#")
    text = re.sub(r"^(?:the\s+)?(?:construction|establishment|building|improvement|optimi[sz]ation|"
                  r"creation)\s+of\s+(?:the\s+|an?\s+)?", "", text, flags=re.IGNORECASE)
    return text[:1].upper() + text[1:].lower() if text else text


def anchor_around(sentence: str, start: int, length: int, words: int = 12) -> str:
    """A verbatim phrase of at most ``words`` words from ``sentence`` covering the mention at ``start``."""
    tokens = list(re.finditer(r"\S+", sentence))
    if not tokens:
        return ""
    first = next((i for i, t in enumerate(tokens) if t.end() > start), 0)
    last = next((i for i, t in enumerate(tokens) if t.end() >= start + length), len(tokens) - 1)
    if last - first + 1 > words:
        last = first + words - 1
    spare = words - (last - first + 1)
    before = min(first, spare // 2)
    first -= before
    last = min(len(tokens) - 1, last + spare - before)
    return sentence[tokens[first].start():tokens[last].end()]
