"""Liveness, readiness and Prometheus metrics endpoints."""

from __future__ import annotations

from typing import Any

import redis
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from pipeline.store.db import StoreError, is_current, ping
from workers.api.collector import RedisCollector
from workers.deps import Deps

router = APIRouter(tags=["operations"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """Alive: the process answers."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """Ready: database reachable with migrations current, Redis reachable."""
    deps: Deps = request.app.state.deps
    checks: dict[str, Any] = {}
    try:
        ping(deps.engine)
        checks["database"] = "ok" if is_current(deps.engine) else "migrations not current"
    except StoreError as exc:
        checks["database"] = f"unreachable: {type(exc).__name__}"
    try:
        deps.redis.ping()
        checks["redis"] = "ok"
    except (redis.RedisError, OSError, RuntimeError) as exc:
        checks["redis"] = f"unreachable: {type(exc).__name__}"
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)


@router.get("/metrics")
def metrics(request: Request) -> Response:
    """Prometheus text format: pipeline counters, latencies and queue depths of the cluster."""
    deps: Deps = request.app.state.deps
    registry = CollectorRegistry()
    registry.register(RedisCollector(deps.redis))
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
