"""Settings: where the data, ontology and seed texts live, read once by the CLI or app factory."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

__all__ = ["Settings", "PROJECT_ROOT"]

#: The checkout's root: the folder holding ``data/`` and ``ontology/``.
PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Base of every IRI the graph mints.
DEFAULT_BASE = "https://w3id.org/seikg/"


def _default_seeds(root: Path) -> Path | None:
    candidate = root.parent / "shared" / "seeds"
    return candidate if candidate.is_dir() else None


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

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        """Read ``SEIKG_DATA``, ``SEIKG_ONTOLOGY``, ``SEIKG_SEEDS`` and ``SEIKG_BASE_IRI``.

        ``SEIKG_SEEDS=""`` turns the seed texts off.

        Raises
        ------
        kg.errors.NotFoundError
            If a folder named by a variable does not exist.
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
        settings.check()
        return settings

    def check(self) -> None:
        """Raise NotFoundError unless every configured folder exists.

        Raises
        ------
        kg.errors.NotFoundError
            If a configured folder is missing.
        """
        from .errors import NotFoundError

        for name in ("data_dir", "ontology_dir", "seeds_dir"):
            path = getattr(self, name)
            if path is not None and not Path(path).is_dir():
                raise NotFoundError(f"setting {name}: folder {path} does not exist")
