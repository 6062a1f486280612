"""``/health`` (is the process answering) and ``/status`` (what is loaded, limits, last reload)."""
from __future__ import annotations

from fastapi import APIRouter

from api.deps import ServiceDep

__all__ = ["build_router"]


def build_router() -> APIRouter:
    """This module's routes on a new router: each app builds its own (no module-level state)."""
    router = APIRouter(tags=["status"])

    @router.get("/health", summary="Liveness: answers at once, even while a graph loads or queries run")
    async def health(service: ServiceDep) -> dict[str, object]:
        return {"status": "ok", "ready": service.ready}

    @router.get("/status", summary="The loaded graph, its version, the query limits and the last reload")
    def status(service: ServiceDep) -> dict[str, object]:
        return service.status()

    return router
