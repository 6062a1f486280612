"""The API reference: ``/docs`` (Swagger UI), from the assets vendored under ``api/static/vendor/`` so that it
works offline and tells no third party who reads it (FastAPI's default pages load their scripts, a favicon and
Google Fonts from CDNs). ``/redoc`` points to it: ReDoc's bundle loads its logo from cdn.redoc.ly."""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse

from api.assets import asset_url_builder

__all__ = ["build_router"]


def build_router(openapi_url: str = "/openapi.json", title: str = "seikg") -> APIRouter:
    """This module's routes on a new router: each app builds its own (no module-level state)."""
    router = APIRouter(tags=["reference"])
    asset = asset_url_builder(Path(__file__).resolve().parents[1] / "static")  # versioned, cached for a year

    @router.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def swagger_ui() -> HTMLResponse:
        page = get_swagger_ui_html(openapi_url=openapi_url, title=f"{title} · API reference",
                                   swagger_js_url=asset("vendor/swagger-ui/swagger-ui-bundle.js"),
                                   swagger_css_url=asset("vendor/swagger-ui/swagger-ui.css"),
                                   swagger_favicon_url="data:,",
                                   # no badge from validator.swagger.io; no deep link nested in each operation's button
                                   swagger_ui_parameters={"validatorUrl": None, "deepLinking": False})
        html = page.body.decode("utf-8").replace("<html>", '<html lang="en">', 1)
        html = html.replace("</head>", f'<link rel="stylesheet" href="{asset("vendor/swagger-ui/seikg-contrast.css")}">\n</head>', 1)
        return HTMLResponse(html)

    @router.get("/redoc", include_in_schema=False)
    def redoc() -> RedirectResponse:
        return RedirectResponse("/docs", status_code=301)

    return router
