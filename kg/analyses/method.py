"""How an analysis result was computed, so that a scholar can re-run it, and plain-data conversion."""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Method", "cross_source_note", "to_plain"]


@dataclass(frozen=True)
class Method:
    """The path that proves a result: a projection and algorithm, or a SPARQL query with its values bound.

    ``sparql`` is a complete query that runs as-is on ``/sparql`` (or any store
    holding the export) and returns the result's rows; ``projection`` names the
    :data:`kg.projection.PROJECTIONS` entry and ``algorithm`` the NetworkX call.
    """

    description: str
    projection: str | None = None
    algorithm: str | None = None
    parameters: Mapping[str, Any] = field(default_factory=dict)
    sparql: str | None = None


def cross_source_note(projections: Any) -> str:
    """What a result says about cross-paper inferences: whether the links that rest only on them were counted."""
    count = len(projections.cross_source_links()) if projections.cross_source else 0
    return (f"counts the {count} addressesProblem links that rest only on cross-paper inferences (seikg:crossSource: "
            "one source's mechanism linked to a problem only other sources identify); ask with cross_source=exclude "
            "to leave them out" if projections.cross_source else
            "leaves out the addressesProblem links that rest only on cross-paper inferences (seikg:crossSource); "
            "a link a source makes to a problem it identifies itself always counts")


def to_plain(value: Any) -> Any:
    """Dataclasses, tuples and mappings as JSON-ready dicts and lists (NaN becomes None).

    >>> to_plain(Method("x", parameters={"k": (1, float("nan"))}))["parameters"]
    {'k': [1, None]}
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_plain(v) for v in value]
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value
