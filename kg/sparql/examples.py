"""Ready example queries for the query editor: one per contract term, and every public competency question.

The competency questions live in ``../shared/competency/public.yaml``; ``seikg
generate`` copies each into ``kg/sparql/queries/examples/competency-*.rq`` so the
editor has them in any clone, and a test keeps the copies in sync.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from kg.errors import LoadError

__all__ = ["Example", "list_examples", "render_competency_examples"]

_PACKAGE = "kg.sparql.queries.examples"


@dataclass(frozen=True)
class Example:
    """One example query: a title, its group and the query text."""

    name: str
    title: str
    group: str
    query: str


@cache
def list_examples() -> tuple[Example, ...]:
    """Every shipped example, contract terms first, then the competency questions (read once)."""
    examples = []
    for entry in sorted(resources.files(_PACKAGE).iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".rq"):
            continue
        text = entry.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        title = first[len("# title:"):].strip() if first.startswith("# title:") else entry.name[:-3]
        group = "competency question" if entry.name.startswith("competency-") else "contract"
        examples.append(Example(entry.name[:-3], title, group, text))
    return tuple(sorted(examples, key=lambda e: (e.group != "contract", e.name)))


def render_competency_examples(public_yaml: Path) -> dict[str, str]:
    """``{file name: text}`` of one ``.rq`` file per competency question in ``public_yaml``.

    Raises
    ------
    kg.errors.LoadError
        If the file cannot be read or lacks prefixes or questions.
    """
    try:
        spec = yaml.safe_load(Path(public_yaml).read_text(encoding="utf-8"))
        prefixes, questions = spec["prefixes"], spec["questions"]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise LoadError.single(public_yaml, f"cannot read the competency questions: {exc}") from exc
    files = {}
    for question in questions:
        title = " ".join(str(question["question"]).split())
        body = f"# title: {question['id']}: {title}\n{prefixes.strip()}\n{question['sparql'].strip()}\n"
        files[f"competency-{str(question['id']).lower()}.rq"] = body
    return files
