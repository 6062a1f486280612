"""The one place that maps errors to HTTP, with one JSON shape: ``{"error": {"code", "message", ...}}``.

No stack trace, file path or engine internal reaches a client.
"""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.methods import allowed_methods

from kg.errors import (InvalidArgument, NotFoundError, Overloaded, QueryCrashed, QueryError, QueryRejected, QuerySyntaxError,
                       QueryTimeout, QueryTooLarge, ResultTooLarge, SeikgError, StoreUnavailable)

__all__ = ["ERROR_RESPONSES", "ERROR_SCHEMA", "BadRequest", "NotAcceptable", "UnsupportedMediaType", "error_body",
           "install_error_handlers"]


class BadRequest(Exception):
    """A request that breaks the HTTP or SPARQL protocol (a repeated parameter, a body that is not UTF-8)."""


class UnsupportedMediaType(Exception):
    """A request body in a media type the route does not read."""


class NotAcceptable(Exception):
    """None of the media types the client accepts can be produced."""

log = logging.getLogger("seikg.api")

#: kg error type -> (HTTP status, error code); the first match in this order wins
_KG_ERRORS: list[tuple[type[Exception], int, str]] = [
    (QueryTooLarge, 413, "query_too_large"),
    (ResultTooLarge, 400, "result_too_large"),
    (QuerySyntaxError, 400, "syntax_error"),
    (QueryRejected, 400, "query_rejected"),
    (QueryTimeout, 503, "query_timeout"),
    (QueryCrashed, 500, "query_crashed"),
    (QueryError, 400, "query_error"),
    (Overloaded, 429, "overloaded"),
    (StoreUnavailable, 503, "store_unavailable"),
    (InvalidArgument, 422, "invalid_parameter"),
    (NotFoundError, 404, "not_found"),
]

#: protocol error type -> (HTTP status, error code), raised by routes that speak a protocol
_PROTOCOL_ERRORS: list[tuple[type[Exception], int, str]] = [
    (BadRequest, 400, "bad_request"),
    (UnsupportedMediaType, 415, "unsupported_media_type"),
    (NotAcceptable, 406, "not_acceptable"),
]

_HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 406: "not_acceptable",
               413: "payload_too_large", 415: "unsupported_media_type", 422: "invalid_parameter"}


#: JSON Schema of the one error shape
ERROR_SCHEMA: dict[str, object] = {
    "type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message"], "additionalProperties": True,
        "properties": {"code": {"type": "string", "description": "a stable code, e.g. query_rejected"},
                       "message": {"type": "string", "description": "what went wrong, for people"}}}}}


def _documented(description: str) -> dict[str, object]:
    return {"description": description, "content": {"application/json": {"schema": ERROR_SCHEMA}}}


#: error responses every route may give, for the OpenAPI document (always JSON, whatever the route serves)
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    400: _documented("bad request: a refused or malformed query, or a bad parameter"),
    404: _documented("no such entity"),
    406: _documented("none of the Accept media types can be produced"),
    413: _documented("the query is over 16 KiB"),
    415: _documented("unsupported request media type"),
    422: _documented("a parameter is invalid; the message names it"),
    429: _documented("every query worker is busy; see Retry-After"),
    500: _documented("the query crashed its worker, or an internal error"),
    503: _documented("the query passed its deadline, or the graph is still loading; see Retry-After"),
}


def error_body(code: str, message: str, **extra: object) -> dict[str, object]:
    """The JSON error shape every error response uses."""
    return {"error": {"code": code, "message": message, **extra}}


#: paths that always answer in JSON or in a protocol's media types, whatever a browser asks for
_MACHINE_PATHS = ("/api", "/sparql", "/status", "/health", "/openapi.json")


def _for_a_browser(request: Request) -> bool:
    """Whether ``request`` comes from a browser reading a page: a GET or HEAD off the API paths whose ``Accept``
    names ``text/html`` at least as high as JSON (``*/*`` alone, as curl and httpx send it, means JSON)."""
    from api.negotiation import parse_accept  # api.negotiation imports this module

    if request.method not in ("GET", "HEAD") or request.url.path.startswith(_MACHINE_PATHS):
        return False
    ranked = dict(parse_accept(request.headers.get("accept")))
    html = max(ranked.get("text/html", 0.0), ranked.get("application/xhtml+xml", 0.0))
    return html > 0 and html >= ranked.get("application/json", 0.0)


def _respond(request: Request, status: int, code: str, message: str, *, headers: dict[str, str] | None = None,
             **extra: object) -> Response:
    """The error as JSON, or, for a browser reading a page, as an HTML page saying the same (and what to do)."""
    body = error_body(code, message, **extra)
    if not _for_a_browser(request):
        return JSONResponse(body, status_code=status, headers=headers)
    response = request.app.state.templates.TemplateResponse(
        request, "error.html", {"status": status, "error": body["error"], "json_url": None}, status_code=status)
    response.headers.update(headers or {})
    response.headers["Vary"] = "Accept"
    return response


def _problem(error: dict[str, object]) -> dict[str, object]:
    """One invalid parameter as the error shape lists it: its name, what is wrong, the value given and, when
    the parameter takes one of a few values, those values."""
    location = tuple(error.get("loc", ()))  # type: ignore[arg-type]
    problem: dict[str, object] = {"parameter": ".".join(str(p) for p in location[1:]) or str(location),
                                  "message": str(error.get("msg", ""))}
    given = error.get("input")
    if isinstance(given, (str, int, float)) and not isinstance(given, bool):
        problem["value"] = given
    context = error.get("ctx") or {}
    expected = context.get("expected") if error.get("type") == "literal_error" else None  # type: ignore[union-attr]
    if expected:
        values = (v.strip().strip("'") for v in str(expected).replace(" or ", ", ").split(","))
        problem["expected"] = [v for v in values if v]  # a Literal's "" (a form's empty choice) is no value to offer
    pattern = str(context.get("pattern", "")) if error.get("type") == "string_pattern_mismatch" else ""  # type: ignore[union-attr]
    if "[a-z0-9]+(?:-[a-z0-9]+)*" in pattern:
        problem["message"] = "should be an id: lowercase ASCII words joined by hyphens, such as ministry-of-education"
        problem["expects_id"] = True
    elif r"\d{4}" in pattern:
        problem["message"] = "should be a date: YYYY, YYYY-MM or YYYY-MM-DD"
    return problem


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(SeikgError)
    def handle_seikg(request: Request, exc: SeikgError) -> Response:
        for error_type, status, code in _KG_ERRORS:
            if isinstance(exc, error_type):
                extra: dict[str, object] = {}
                headers = None
                if isinstance(exc, QuerySyntaxError):
                    extra = {"line": exc.line, "column": exc.column}
                if isinstance(exc, (QueryTimeout, Overloaded)):
                    headers = {"Retry-After": str(exc.retry_after)}
                elif isinstance(exc, StoreUnavailable):
                    headers = {"Retry-After": "5"}
                return _respond(request, status, code, str(exc), headers=headers, **extra)
        log.error("unexpected seikg error on %s: %r", request.url.path, exc)
        return _respond(request, 500, "internal_error", "internal error")

    def handle_protocol(request: Request, exc: Exception) -> Response:
        status, code = next((status, code) for error_type, status, code in _PROTOCOL_ERRORS
                            if isinstance(exc, error_type))
        headers = {"Vary": "Accept"} if status == 406 else None
        return _respond(request, status, code, str(exc), headers=headers)

    for error_type, _, _ in _PROTOCOL_ERRORS:
        app.add_exception_handler(error_type, handle_protocol)

    @app.exception_handler(RequestValidationError)
    def handle_validation(request: Request, exc: RequestValidationError) -> Response:
        problems = [_problem(e) for e in exc.errors()]
        names = ", ".join(p["parameter"] for p in problems)
        return _respond(request, 422, "invalid_parameter", f"invalid parameter: {names}", parameters=problems)

    @app.exception_handler(StarletteHTTPException)
    def handle_http(request: Request, exc: StarletteHTTPException) -> Response:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:  # every method any route at this path takes, not the first route's
            headers["Allow"] = ", ".join(allowed_methods(request.scope))
            message = f"method {request.method} is not allowed here; allowed: {headers['Allow']}"
        return _respond(request, exc.status_code, code, message, headers=headers or None)

    @app.exception_handler(Exception)
    def handle_unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return _respond(request, 500, "internal_error", "internal error")
