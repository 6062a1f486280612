"""An HTML page and its JSON twin, registered once from one reading function.

``read`` is a FastAPI dependency: its parameters (path, query, the service)
are declared once, and both routes receive what it returns. The JSON route
returns it; the page renders ``template`` with it as ``result`` (plus what
``context`` adds) and links to the JSON twin with the same query string. A bad
parameter is the same 422 on both.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

__all__ = ["Twin", "add_twins", "render"]


@dataclass(frozen=True)
class Twin:
    """A page at ``page_path`` and its JSON at ``json_path``, both filled by ``read``."""

    page_path: str
    json_path: str
    read: Callable[..., Any]
    template: str
    summary: str
    response_model: Any = None
    context: Callable[[Request, Any], dict[str, object]] | None = None
    name: str = ""
    variable: str = "result"  # what the template calls the result


def render(request: Request, template: str, **context: object) -> HTMLResponse:
    """``template`` rendered with ``context`` (and the request)."""
    return request.app.state.templates.TemplateResponse(request, template, context)


def _json_url(request: Request, twin: Twin) -> str:
    path = twin.json_path
    for key, value in request.path_params.items():
        path = path.replace("{" + key + "}", str(value))
    return path + (f"?{request.url.query}" if request.url.query else "")


def add_twins(router: APIRouter, twin: Twin) -> None:
    """Register ``twin``'s JSON route and its page on ``router`` (which must have no prefix)."""
    name = twin.name or twin.page_path.strip("/").replace("/", "-").replace("{", "").replace("}", "") or "home"

    def json_twin(result: Any = Depends(twin.read)) -> Any:  # noqa: B008 - FastAPI's idiom
        return result

    def page(request: Request, result: Any = Depends(twin.read)) -> HTMLResponse:  # noqa: B008
        extra = twin.context(request, result) if twin.context else {}
        context = {twin.variable: result, "json_url": _json_url(request, twin),
                   "base_iri": request.app.state.service.settings.base_iri, **extra}
        response = render(request, twin.template, **context)
        response.headers["Vary"] = "Accept"
        return response

    router.add_api_route(twin.json_path, json_twin, methods=["GET"], response_model=twin.response_model,
                         summary=twin.summary, name=f"{name}-json")
    router.add_api_route(twin.page_path, page, methods=["GET"], response_class=HTMLResponse,
                         summary=f"{twin.summary} (page; JSON twin: {twin.json_path})", name=f"{name}-page")
