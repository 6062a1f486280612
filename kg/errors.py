"""The one exception tree of seikg.

Every error that seikg raises on purpose derives from :class:`SeikgError`::

    SeikgError
    ├── LoadError            bad input: names the file, line, entry and field of each issue
    ├── ValidationError      the graph does not conform; carries the report
    ├── ConfigError          a setting is malformed or out of range
    ├── InvalidArgument      a value given by the caller is malformed or out of range (422; CLI exit 2)
    ├── NotFoundError        an entity, file or setting that was asked for does not exist (404)
    ├── QueryError           a SPARQL query could not be parsed or evaluated
    │   ├── QuerySyntaxError the query text is not SPARQL; carries line and column
    │   ├── QueryRejected    the query is refused by policy (update, SERVICE, FROM, nesting)
    │   │   ├── QueryTooLarge       the query text is over the size limit
    │   │   └── ResultTooLarge      the result is over the row cap
    │   ├── QueryTimeout     the query ran past its deadline and was stopped
    │   └── QueryCrashed     the worker evaluating the query died (memory limit, engine crash)
    ├── Overloaded           every query worker is busy; try again shortly
    └── StoreUnavailable     the store cannot be reached or opened

The CLI maps these to exit codes with :func:`exit_code` (the table
:data:`EXIT_CODES`, documented in ``seikg --help`` and the README); the web API
maps them to HTTP statuses in one place (``api/errors.py``).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ConfigError",
    "DataIssue",
    "EXIT_CODES",
    "InvalidArgument",
    "LoadError",
    "NotFoundError",
    "Overloaded",
    "QueryCrashed",
    "QueryError",
    "QueryRejected",
    "QuerySyntaxError",
    "QueryTimeout",
    "QueryTooLarge",
    "ResultTooLarge",
    "SeikgError",
    "StoreUnavailable",
    "ValidationError",
    "exit_code",
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
        return f"{where}:{entry}{field}: {self.message}" if entry or field else f"{where}: {self.message}"


class LoadError(SeikgError):
    """The curated input cannot be turned into a graph.

    ``issues`` lists every problem found, not just the first.
    """

    def __init__(self, issues: list[DataIssue] | tuple[DataIssue, ...]) -> None:
        self.issues = tuple(sorted(issues))
        count = len(self.issues)
        head = f"{count} problem{'s' if count != 1 else ''} in the data"
        super().__init__(head + ":\n" + "\n".join(f"  {issue}" for issue in self.issues))

    def __reduce__(self) -> tuple[type["LoadError"], tuple[tuple[DataIssue, ...]]]:
        return (type(self), (self.issues,))

    @classmethod
    def single(cls, path: Path | str, message: str, *, line: int = 0, entry: str = "",
               field: str = "") -> "LoadError":
        """Build a LoadError holding one issue."""
        return cls([DataIssue(str(path), line, entry, field, message)])


class ValidationError(SeikgError):
    """The graph does not conform. ``report`` is the :class:`kg.checks.validate.ValidationReport`."""

    def __init__(self, report: object, message: str = "the graph does not conform") -> None:
        self.report = report
        super().__init__(message)

    def __reduce__(self) -> tuple[type["ValidationError"], tuple[object, str]]:
        return (type(self), (self.report, str(self)))


class ConfigError(SeikgError):
    """A setting is malformed or out of range."""


class NotFoundError(SeikgError):
    """Something that was asked for by name or IRI does not exist."""


class InvalidArgument(SeikgError):
    """A value the caller gave is malformed or out of range; the message names the parameter first
    (``"depth: must be 1, 2 or 3"``). Not a "not found": the caller must change the value."""


class QueryError(SeikgError):
    """A SPARQL query could not be parsed or evaluated."""


class QueryRejected(QueryError):
    """A query is refused by policy before it runs."""


class QuerySyntaxError(QueryError):
    """The query is not valid SPARQL. ``line`` and ``column`` are 1-based (0 when unknown)."""

    def __init__(self, message: str, *, line: int = 0, column: int = 0) -> None:
        self.line = line
        self.column = column
        super().__init__(message)


class QueryTooLarge(QueryRejected):
    """The query text is over the size limit; refused before parsing."""


class ResultTooLarge(QueryRejected):
    """The result has more rows than the cap; nothing partial is returned."""


class QueryTimeout(QueryError):
    """A query ran past its deadline; its worker was stopped. ``retry_after`` is in seconds."""

    def __init__(self, message: str, *, retry_after: int = 1) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class QueryCrashed(QueryError):
    """The worker process evaluating the query died (memory limit or engine crash)."""


class Overloaded(SeikgError):
    """Every query worker is busy. ``retry_after`` is in seconds."""

    def __init__(self, message: str, *, retry_after: int = 1) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class StoreUnavailable(SeikgError):
    """The store cannot be reached or opened."""


#: error class -> CLI exit code, the first match in this order wins; 0 is success, 1 "does not conform or a
#: check failed", 2 "usage error or the input could not be loaded"
EXIT_CODES: tuple[tuple[type[Exception], int], ...] = (
    (LoadError, 2),
    (InvalidArgument, 2),
    (NotFoundError, 2),
    (QueryError, 2),
    (ConfigError, 2),
    (SeikgError, 1),
)


def exit_code(exc: BaseException) -> int:
    """The CLI exit code of ``exc`` (see :data:`EXIT_CODES`).

    >>> exit_code(InvalidArgument("depth: must be 1, 2 or 3"))
    2

    Raises
    ------
    TypeError
        If ``exc`` is not a :class:`SeikgError` (the CLI lets those surface).
    """
    for error_type, code in EXIT_CODES:
        if isinstance(exc, error_type):
            return code
    raise TypeError(f"not a seikg error: {exc!r}")
