"""The analyst's dashboard: server-rendered pages under `/ui/` of the API process.

`mount(app)` adds the pages, the static files and the security headers; `dashboard_url`
is the login URL that `newsmon run` prints as `dashboard: <URL>`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from workers.ui.session import PREFIX, dashboard_url
from workers.ui.web import HERE, LoginRequired

__all__ = ["dashboard_url", "mount"]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
"""No inline script or style at all: feed text that slips into a page still cannot run."""


def mount(app: FastAPI) -> None:
    """Serve the dashboard from `app` under `/ui/`."""
    from workers.ui import feeds, live, pages, search, subscriptions

    for module in (pages, live, search, feeds, subscriptions):
        app.include_router(module.router)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=HERE / "static"), name="ui-static")
    app.add_exception_handler(LoginRequired, _to_login)  # type: ignore[arg-type]
    app.middleware("http")(_security_headers)


def _to_login(request: Request, exc: LoginRequired) -> Response:
    return RedirectResponse(f"{PREFIX}/login", status_code=303)


async def _security_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    if request.url.path.startswith(PREFIX):
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
    return response
