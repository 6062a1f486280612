"""Named SPARQL queries, one ``.rq`` file each; user values are bound, never pasted in."""
from __future__ import annotations

from functools import cache
from importlib import resources

from ..errors import NotFoundError

__all__ = ["load_query", "query_names"]


def query_names() -> list[str]:
    """Names of the shipped queries, sorted (file names without ``.rq``)."""
    return sorted(p.name[:-3] for p in resources.files(__package__).iterdir() if p.name.endswith(".rq"))


@cache
def load_query(name: str) -> str:
    """The text of the named query.

    Raises
    ------
    kg.errors.NotFoundError
        If there is no ``<name>.rq``.
    """
    path = resources.files(__package__) / f"{name}.rq"
    if not path.is_file():
        raise NotFoundError(f"no named query {name!r}; known: {', '.join(query_names())}")
    return path.read_text(encoding="utf-8")
