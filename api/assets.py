"""Static assets served with versioned URLs: ``asset("vendor/yasgui/yasgui.min.js")`` gives
``/static/vendor/yasgui/yasgui.min.js?v=<hash of the file>``, and such a URL is cached for a year, immutable;
a URL without its version is revalidated each time (by its ETag). A new release of a file changes its URL, so
no browser keeps an old copy."""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

__all__ = ["VersionedStaticFiles", "asset_url_builder"]

_YEAR = "public, max-age=31536000, immutable"


def asset_url_builder(directory: Path, prefix: str = "/static") -> Callable[[str], str]:
    """A function from a path under ``directory`` to its versioned URL under ``prefix`` (files hashed once).

    Raises
    ------
    FileNotFoundError
        When the function is called with a path that is not a file under ``directory``.
    """
    versions: dict[str, str] = {}

    def asset(path: str) -> str:
        if path not in versions:
            file = (directory / path).resolve()
            if directory.resolve() not in file.parents or not file.is_file():
                raise FileNotFoundError(f"no static asset {path!r} under {directory}")
            versions[path] = hashlib.sha256(file.read_bytes()).hexdigest()[:12]
        return f"{prefix}/{path}?v={versions[path]}"
    return asset


class VersionedStaticFiles(StaticFiles):
    """``StaticFiles`` whose versioned URLs (``?v=``) are cached for a year and whose others are revalidated."""

    def file_response(self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope,
                      status_code: int = 200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        versioned = b"v=" in scope.get("query_string", b"")
        response.headers["Cache-Control"] = _YEAR if versioned else "no-cache"
        return response
