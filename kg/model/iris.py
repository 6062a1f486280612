"""The IRI scheme, declared once: every IRI seikg mints, and how to read one back.

Under the base IRI (``https://w3id.org/seikg/`` by default):

=============================  ==========================================
``id/{slug}/{id}``             an entity (slug from :mod:`kg.model.kinds`)
``id/evidence/{hash}``         a piece of evidence (hash of statement and citation)
``id/quantity/{id}-{n}``       the n-th quantitative fact of an entity
``id/conflict/{id}``           a recorded source issue
``graph/{name}``               a named graph: ``data``, ``ontology``, ``analysis``
``analysis/{version}/``        the results of one analysis run
=============================  ==========================================
"""
from __future__ import annotations

import re

from kg.errors import InvalidArgument

__all__ = ["ENTITY_ID", "analysis_root", "entity_iri", "entity_prefix", "evidence_iri", "graph_iri",
           "kind_of_iri", "quantity_iri"]

#: what an entity id looks like: ASCII kebab-case
ENTITY_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def entity_prefix(base_iri: str) -> str:
    """Where every entity IRI starts.

    >>> entity_prefix("https://w3id.org/seikg/")
    'https://w3id.org/seikg/id/'
    """
    return f"{base_iri}id/"


def entity_iri(base_iri: str, slug: str, ident: str, parameter: str = "id") -> str:
    """The minted IRI of the entity ``slug/ident``; ``parameter`` names the input in the error.

    >>> entity_iri("https://w3id.org/seikg/", "region", "tangshan")
    'https://w3id.org/seikg/id/region/tangshan'

    Raises
    ------
    kg.errors.InvalidArgument
        If ``ident`` is not an id (ASCII kebab-case).
    """
    if not ENTITY_ID.match(ident):
        raise InvalidArgument(f"{parameter}: {ident!r} is not an id (ASCII kebab-case)")
    return f"{entity_prefix(base_iri)}{slug}/{ident}"


def kind_of_iri(iri: str, base_iri: str) -> tuple[str, str] | None:
    """``(kind slug, id)`` of a minted entity IRI, or None.

    >>> kind_of_iri("https://w3id.org/seikg/id/region/tangshan", "https://w3id.org/seikg/")
    ('region', 'tangshan')
    """
    prefix = entity_prefix(base_iri)
    if not iri.startswith(prefix):
        return None
    slug, _, ident = iri[len(prefix):].partition("/")
    return (slug, ident) if slug and ident and "/" not in ident else None


def evidence_iri(base_iri: str, digest: str) -> str:
    """The IRI of a piece of evidence named by ``digest``."""
    return f"{entity_prefix(base_iri)}evidence/{digest}"


def quantity_iri(base_iri: str, ident: str, index: int) -> str:
    """The IRI of the ``index``-th quantitative fact of the entity ``ident``."""
    return f"{entity_prefix(base_iri)}quantity/{ident}-{index}"


def graph_iri(base_iri: str, name: str) -> str:
    """The IRI of the named graph ``name`` (``data``, ``ontology`` or ``analysis``).

    >>> graph_iri("https://w3id.org/seikg/", "data")
    'https://w3id.org/seikg/graph/data'
    """
    return f"{base_iri}graph/{name}"


def analysis_root(base_iri: str, version: str) -> str:
    """Where the IRIs of one analysis run's results start."""
    return f"{base_iri}analysis/{version or 'unversioned'}/"
