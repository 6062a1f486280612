"""The one exception tree of seikg.

Every error that seikg raises on purpose derives from :class:`SeikgError`::

    SeikgError
    ├── LoadError            bad input: names the file, line, entry and field of each issue
    ├── ValidationError      the graph does not conform; carries the report
    ├── NotFoundError        an entity, file or setting that was asked for does not exist
    ├── QueryError           a SPARQL query could not be parsed or evaluated
    │   ├── QueryRejected    the query is refused by policy (update, SERVICE, size, ...)
    │   └── QueryTimeout     the query ran past its time limit
    └── StoreUnavailable     the store cannot be reached or opened

The CLI maps these to exit codes (see ``kg.cli``); the web API maps them to
HTTP statuses in one place (``api/errors.py``).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DataIssue",
    "LoadError",
    "NotFoundError",
    "QueryError",
    "QueryRejected",
    "QueryTimeout",
    "SeikgError",
    "StoreUnavailable",
    "ValidationError",
]


class SeikgError(Exception):
    """Root of every error seikg raises on purpose."""


@dataclass(frozen=True, order=True)
class DataIssue:
    """One problem found in the curated input.

    ``path`` and ``line`` locate it; ``entry`` is the id of the entry (or an
    empty string at file level) and ``field`` the field at fault.
    """

    path: str
    line: int
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        entry = f" entry {self.entry!r}" if self.entry else ""
        field = f" field {self.field!r}" if self.field else ""
        return f"{where}:{entry}{field}: {self.message}"


class LoadError(SeikgError):
    """The curated input cannot be turned into a graph.

    ``issues`` lists every problem found, not just the first.
    """

    def __init__(self, issues: list[DataIssue] | tuple[DataIssue, ...]) -> None:
        self.issues = tuple(sorted(issues))
        count = len(self.issues)
        head = f"{count} problem{'s' if count != 1 else ''} in the data"
        super().__init__(head + ":\n" + "\n".join(f"  {issue}" for issue in self.issues))

    @classmethod
    def single(cls, path: Path | str, message: str, *, line: int = 0, entry: str = "",
               field: str = "") -> "LoadError":
        """Build a LoadError holding one issue."""
        return cls([DataIssue(str(path), line, entry, field, message)])


class ValidationError(SeikgError):
    """The graph does not conform. ``report`` is the :class:`kg.validate.ValidationReport`."""

    def __init__(self, report: object, message: str = "the graph does not conform") -> None:
        self.report = report
        super().__init__(message)


class NotFoundError(SeikgError):
    """Something that was asked for by name or IRI does not exist."""


class QueryError(SeikgError):
    """A SPARQL query could not be parsed or evaluated."""


class QueryRejected(QueryError):
    """A query is refused by policy before it runs."""


class QueryTimeout(QueryError):
    """A query ran past its time limit."""


class StoreUnavailable(SeikgError):
    """The store cannot be reached or opened."""
