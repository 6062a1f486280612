"""The application factory: ``create_app(settings)`` builds the app; nothing is read at import time."""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.templating import Jinja2Templates

import kg
from kg.config import Settings
from kg.model.kinds import KINDS
from kg.reading.citations import CITATION_FORMATS
from kg.reading.entities import words
from kg.runtime import QueryService
from visualizations.render import ASSET_DIR

from api.caching import VersionedAnswers, code_version
from api.assets import VersionedStaticFiles, asset_url_builder
from api.errors import ERROR_RESPONSES, install_error_handlers
from api.i18n import install_translations, load_translations
from api.limits import BodyLimit
from api.methods import HttpMethods
from api.routes import (analysis, analysis_pages, citations, downloads, entities, health, pages, reference, sparql,
                        views)

__all__ = ["create_app"]


def create_app(settings: Settings | None = None, *, service: QueryService | None = None) -> FastAPI:
    """Build the web app.

    With no ``service``, one is created from ``settings`` (default: from the
    environment) and loads the graph in the background at startup; ``/health``
    answers at once and ``/status`` says when the graph is ready.
    """
    owned = service is None
    settings = settings or (service.settings if service else Settings.from_env())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if owned:
            app.state.service.load_in_background()
        yield
        if owned:
            app.state.service.close()

    app = FastAPI(title="seikg", version="0.1.0", lifespan=lifespan, responses=ERROR_RESPONSES,
                  docs_url=None, redoc_url=None,  # served from vendored assets by api.routes.reference
                  description="A knowledge graph of China's science-education-industry integration "
                              "policies. Read-only SPARQL 1.1 endpoint; every link cites its source.")
    app.state.service = service or QueryService(settings)
    app.state.templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
    app.state.templates.context_processors.append(
        install_translations(app.state.templates.env, load_translations()))  # English and Chinese
    app.state.templates.env.globals["kinds"] = {plural: kind.title for plural, kind in KINDS.items()}
    app.state.templates.env.globals["citation_formats"] = CITATION_FORMATS
    app.state.templates.env.filters["words"] = words
    app.state.templates.env.globals["kind_classes"] = {kind.rdf_class.rsplit("#", 1)[-1] for kind in KINDS.values()}
    app.state.templates.env.globals["drawn_kinds"] = {plural for plural, kind in KINDS.items() if kind.in_views}
    app.add_middleware(VersionedAnswers, version_of=lambda: app.state.service.version, code=code_version(
        Path(__file__).parent, Path(kg.__file__).parent, Path(ASSET_DIR).parent.parent),
        max_bytes=settings.answer_cache_mb * 2**20)  # innermost: ETag, 304 and kept answers per graph version
    app.add_middleware(HttpMethods)  # HEAD and OPTIONS on every route
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
                       allow_headers=["*"])  # a browser's preflight for a POST to /sparql is answered
    app.add_middleware(GZipMiddleware, minimum_size=1024)  # pages, views and results, when the client accepts gzip
    app.add_middleware(BodyLimit, limit=settings.max_body_kb * 1024)  # outermost: before anything reads a body
    static = Path(__file__).with_name("static")
    app.mount("/static/views", VersionedStaticFiles(directory=str(ASSET_DIR)), name="view-assets")
    app.mount("/static", VersionedStaticFiles(directory=str(static)), name="static")
    app.state.templates.env.globals["asset"] = asset_url_builder(static)
    install_error_handlers(app)
    for routes in (health, reference, sparql, analysis, citations, downloads, entities, views, analysis_pages,
                   pages):  # built here, per app
        app.include_router(routes.build_router())
    return app
