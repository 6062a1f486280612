"""Settings: where the data, ontology and seed texts live, read once by the CLI or app factory."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg.errors import ConfigError, NotFoundError

__all__ = ["Settings", "PROJECT_ROOT"]

#: The checkout's root: the folder holding ``data/`` and ``ontology/``.
PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Base of every IRI the graph mints.
DEFAULT_BASE = "https://w3id.org/seikg/"


def _default_seeds(root: Path) -> Path | None:
    candidate = root.parent / "shared" / "seeds"
    return candidate if candidate.is_dir() else None


def _flag(value: str) -> bool:
    """``1/true/yes/on`` or ``0/false/no/off``, for boolean environment variables."""
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(value)


_flag.__name__ = "flag_"


@dataclass(frozen=True)
class Settings:
    """Where seikg reads from.

    ``seeds_dir`` is ``None`` when the seed texts are not available; anchor
    checks are then skipped and reported as skipped.
    """

    data_dir: Path = PROJECT_ROOT / "data"
    ontology_dir: Path = PROJECT_ROOT / "ontology"
    seeds_dir: Path | None = field(default_factory=lambda: _default_seeds(PROJECT_ROOT))
    base_iri: str = DEFAULT_BASE
    #: "embedded" (an on-disk Oxigraph store built from the data) or a SPARQL 1.1 endpoint URL
    store: str = "embedded"
    #: where store snapshots are written
    store_dir: Path = PROJECT_ROOT / "build" / "stores"
    #: serve this N-Quads file (an export, or a graph built elsewhere) instead of building ``data_dir``
    graph_file: Path | None = None
    #: seconds a query may run before its worker is stopped
    query_deadline: float = 10.0
    #: queries evaluated at once (worker processes); default: cores - 1, at least 1
    query_workers: int = field(default_factory=lambda: max(1, (os.cpu_count() or 2) - 1))
    #: most rows (or triples) a result may have
    max_rows: int = 250_000
    #: largest serialised result of a user's query, in MiB
    max_result_mb: int = 128
    #: address-space limit of each worker process, in MiB (0: none)
    worker_memory_mb: int = 2048
    #: cut the query workers off the network (a network namespace and a seccomp filter; see docs/security.md)
    worker_sandbox: bool = True
    #: largest request body the web app reads, in KiB; a larger one is refused with 413 before it is read
    max_body_kb: int = 64
    #: seconds a (re)load of the data may take before it is stopped and reported as failed
    reload_deadline: float = 600.0
    #: answers kept per graph version (query results and API responses), in MiB (0: none kept)
    answer_cache_mb: int = 64
    #: memory a query worker may make its own (pages of the shared store it copied) before a fresh fork
    #: replaces it, in MiB: more keeps heavy queries fast on repeats, less keeps the store shared
    worker_recycle_mb: int = 64

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        """Read ``SEIKG_DATA``, ``SEIKG_ONTOLOGY``, ``SEIKG_SEEDS`` and ``SEIKG_BASE_IRI``.

        ``SEIKG_SEEDS=""`` turns the seed texts off.

        Raises
        ------
        kg.errors.NotFoundError
            If a folder named by a variable does not exist.
        kg.errors.ConfigError
            If a number is not a number or out of range.
        """
        env = os.environ if environ is None else environ
        settings = cls()
        if "SEIKG_DATA" in env:
            settings = replace(settings, data_dir=Path(env["SEIKG_DATA"]))
        if "SEIKG_ONTOLOGY" in env:
            settings = replace(settings, ontology_dir=Path(env["SEIKG_ONTOLOGY"]))
        if "SEIKG_SEEDS" in env:
            value = env["SEIKG_SEEDS"]
            settings = replace(settings, seeds_dir=Path(value) if value else None)
        if "SEIKG_BASE_IRI" in env:
            settings = replace(settings, base_iri=env["SEIKG_BASE_IRI"])
        if "SEIKG_STORE" in env:
            settings = replace(settings, store=env["SEIKG_STORE"] or "embedded")
        if "SEIKG_STORE_DIR" in env:
            settings = replace(settings, store_dir=Path(env["SEIKG_STORE_DIR"]))
        if env.get("SEIKG_GRAPH"):
            settings = replace(settings, graph_file=Path(env["SEIKG_GRAPH"]))
        for name, variable, cast in (("query_deadline", "SEIKG_QUERY_DEADLINE", float),
                                     ("query_workers", "SEIKG_QUERY_WORKERS", int),
                                     ("max_rows", "SEIKG_MAX_ROWS", int),
                                     ("max_result_mb", "SEIKG_MAX_RESULT_MB", int),
                                     ("worker_memory_mb", "SEIKG_WORKER_MEMORY_MB", int),
                                     ("worker_sandbox", "SEIKG_WORKER_SANDBOX", _flag),
                                     ("max_body_kb", "SEIKG_MAX_BODY_KB", int),
                                     ("reload_deadline", "SEIKG_RELOAD_DEADLINE", float),
                                     ("answer_cache_mb", "SEIKG_ANSWER_CACHE_MB", int),
                                     ("worker_recycle_mb", "SEIKG_WORKER_RECYCLE_MB", int)):
            if variable in env:
                try:
                    settings = replace(settings, **{name: cast(env[variable])})
                except ValueError as exc:
                    raise ConfigError(f"{variable}={env[variable]!r} is not a valid {cast.__name__.strip('_')}") from exc
        settings.check()
        return settings

    def to_env(self) -> dict[str, str]:
        """These settings as the environment variables that :meth:`from_env` reads (for worker processes)."""
        env = {"SEIKG_DATA": str(self.data_dir), "SEIKG_ONTOLOGY": str(self.ontology_dir),
               "SEIKG_SEEDS": str(self.seeds_dir) if self.seeds_dir is not None else "",
               "SEIKG_BASE_IRI": self.base_iri, "SEIKG_STORE": self.store, "SEIKG_STORE_DIR": str(self.store_dir),
               "SEIKG_QUERY_DEADLINE": repr(self.query_deadline), "SEIKG_QUERY_WORKERS": str(self.query_workers),
               "SEIKG_MAX_ROWS": str(self.max_rows), "SEIKG_MAX_RESULT_MB": str(self.max_result_mb),
               "SEIKG_WORKER_MEMORY_MB": str(self.worker_memory_mb),
               "SEIKG_WORKER_SANDBOX": "1" if self.worker_sandbox else "0", "SEIKG_MAX_BODY_KB": str(self.max_body_kb),
               "SEIKG_RELOAD_DEADLINE": repr(self.reload_deadline), "SEIKG_ANSWER_CACHE_MB": str(self.answer_cache_mb),
               "SEIKG_WORKER_RECYCLE_MB": str(self.worker_recycle_mb)}
        if self.graph_file is not None:
            env["SEIKG_GRAPH"] = str(self.graph_file)
        return env

    def check(self) -> None:
        """Raise unless every configured folder exists and every limit is positive.

        Raises
        ------
        kg.errors.NotFoundError
            If a configured folder is missing.
        kg.errors.ConfigError
            If a limit is out of range.
        """
        if self.store != "embedded" and not self.store.startswith(("http://", "https://")):
            raise ConfigError(f"store={self.store!r}: use 'embedded' or the URL of a SPARQL endpoint")
        if (self.query_deadline <= 0 or self.query_workers < 1 or self.max_rows < 1 or self.worker_memory_mb < 0
                or self.max_body_kb < 1 or self.reload_deadline <= 0 or self.max_result_mb < 1
                or self.answer_cache_mb < 0 or self.worker_recycle_mb < 1):
            raise ConfigError("query_deadline, query_workers, max_rows, max_body_kb, reload_deadline and "
                              "worker_recycle_mb must be positive, and worker_memory_mb and answer_cache_mb at least 0")

        if self.graph_file is not None and not Path(self.graph_file).is_file():
            raise NotFoundError(f"setting graph_file: file {self.graph_file} does not exist")
        for name in ("data_dir", "ontology_dir", "seeds_dir"):
            path = getattr(self, name)
            if path is not None and not Path(path).is_dir():
                raise NotFoundError(f"setting {name}: folder {path} does not exist")
