"""The web app: the API's routers and the analysts' dashboard in one FastAPI app."""

from __future__ import annotations

from fastapi import FastAPI

from pipeline import __version__
from pipeline.settings import Settings
from workers import ui
from workers.api import alerts, browse, docs, health, manage, stories, stream, subscriptions
from workers.deps import Deps


def create_app(settings: Settings) -> FastAPI:
    """The API and dashboard app; its routes reach the stores through `app.state.deps`."""
    app = FastAPI(
        title="newsmon",
        version=__version__,
        description="Subscriptions, alerts and deliveries of the newsmon news monitor.",
        docs_url=None,
        redoc_url=None,
    )
    docs.install(app)
    app.state.deps = Deps(settings)
    app.include_router(health.router)
    app.include_router(subscriptions.router)
    app.include_router(stream.router)
    app.include_router(alerts.router)
    app.include_router(browse.router)  # before stories: /stories/page is not a story id
    app.include_router(manage.router)
    app.include_router(stories.router)
    ui.mount(app)
    return app
