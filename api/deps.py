"""Typed dependencies shared by the routes."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kg.runtime import QueryService

__all__ = ["ServiceDep", "get_service", "read_body"]


def get_service(request: Request) -> QueryService:
    """The app's query service."""
    return request.app.state.service


async def read_body(request: Request) -> bytes:
    """The raw request body, read on the event loop so that handlers can stay plain ``def``."""
    return await request.body()


ServiceDep = Annotated[QueryService, Depends(get_service)]
