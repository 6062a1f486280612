"""seikg: a knowledge graph of China's science-education-industry integration policies.

The public API::

    from kg import Settings, build_dataset, validate_graph, serialize_dataset

Imports run one way: ``kg`` never imports the web app or the views.
"""
from kg.config import Settings
from kg.errors import (DataIssue, LoadError, NotFoundError, QueryError, QueryRejected, QueryTimeout,
                     SeikgError, StoreUnavailable, ValidationError)
from kg.build.export import union_graph, FORMATS, parse_export, serialize_dataset, write_atomically
from kg.build.loader import BuiltGraph, build_dataset, graph_iris
from kg.build.ontology import load_ontology, load_shapes
from kg.sparql.local import format_result, run_query
from kg.checks.validate import ValidationReport, check_anchors, list_conflicts, validate_graph

__all__ = [
    "FORMATS",
    "BuiltGraph",
    "DataIssue",
    "LoadError",
    "NotFoundError",
    "QueryError",
    "QueryRejected",
    "QueryTimeout",
    "SeikgError",
    "Settings",
    "StoreUnavailable",
    "ValidationError",
    "ValidationReport",
    "build_dataset",
    "check_anchors",
    "format_result",
    "graph_iris",
    "list_conflicts",
    "load_ontology",
    "load_shapes",
    "parse_export",
    "run_query",
    "serialize_dataset",
    "union_graph",
    "validate_graph",
    "write_atomically",
]
