"""The HTTP API (FastAPI routers): health, readiness, metrics, and one router per area."""
