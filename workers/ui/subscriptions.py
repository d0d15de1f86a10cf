"""Dashboard pages: the user's subscriptions with a rule builder, a test alert, deliveries
with replay, and an Atom feed of each subscription's alerts.

Everything is scoped to the logged-in owner; another owner's subscription is a 404, as in
the API. The form is checked by the API's own validation (`SubscriptionIn`, actor ids,
channel targets), so the dashboard cannot save what the API would refuse.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from pipeline.alerts.subscriptions import create_test_alert, save
from pipeline.store import alerts as alert_store
from pipeline.store import browse, manage
from pipeline.store.alerts import Subscription
from pipeline.store.db import transaction
from workers.api.alerts import enqueue, replay_and_enqueue
from workers.api.schemas import DeliveryOut, SubscriptionIn, spec_of
from workers.api.subscriptions import _checked, found, owned
from workers.deps import Deps
from workers.ui.atom import alerts_feed
from workers.ui.session import PREFIX, secret_of
from workers.ui.web import DepsDep, Posted, User, render

router = APIRouter(prefix=PREFIX, include_in_schema=False)
CHANNELS = ("stream", "webhook", "email", "apprise", "file")


def _words(value: Any) -> list[str]:
    return [w.strip() for w in str(value or "").replace("\n", ",").split(",") if w.strip()]


def body_of(form: FormData) -> SubscriptionIn:
    """The rule builder's fields as the API's request body (raises ValidationError)."""
    negated = {"yes": True, "no": False}.get(str(form.get("claim_negated") or ""))
    rule = {
        "any_actors": [str(v) for v in form.getlist("any_actors") if v],
        "all_actors": [str(v) for v in form.getlist("all_actors") if v],
        "claim_subject": form.get("claim_subject") or None,
        "claim_predicates": _words(form.get("claim_predicates")),
        "claim_object": form.get("claim_object") or None,
        "claim_negated": negated,
        "sources": _words(form.get("sources")),
        "languages": _words(form.get("languages")),
    }
    mode = str(form.get("mode") or "instant")
    minutes = form.get("digest_minutes")
    return SubscriptionIn.model_validate(
        {
            "name": form.get("name") or "",
            "rule": rule,
            "channel": form.get("channel") or "stream",
            "target": form.get("target") or "",
            "mode": mode,
            "digest_minutes": int(str(minutes)) if mode == "digest" and minutes else None,
            "updates": form.get("updates") == "true",
        }
    )


def _problems(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
    detail = getattr(exc, "detail", str(exc))
    if isinstance(detail, list):
        return [f"{'.'.join(str(p) for p in d['loc'][1:])}: {d['msg']}" for d in detail]
    return [str(detail)]


def atom_token(deps: Deps, sub: Subscription) -> str:
    """The token in a subscription's Atom URL (feed readers send no cookie or key)."""
    message = f"atom:{sub.id}:{sub.owner}".encode()
    return hmac.new(secret_of(deps.settings), message, hashlib.sha256).hexdigest()[:32]


def atom_url(deps: Deps, sub: Subscription) -> str:
    return f"{PREFIX}/subscriptions/{sub.id}/atom.xml?token={atom_token(deps, sub)}"


def _form_context(deps: Deps, owner: str) -> dict[str, Any]:
    with deps.sessions() as session:
        rows = alert_store.list_subscriptions(session, owner)
        actors = browse.list_actors(session)
    subs = [{**browse.subscription_json(r), "atom": atom_url(deps, r)} for r in rows]
    return {"subscriptions": subs, "actors": actors, "channels": CHANNELS}


@router.get("/subscriptions", response_class=HTMLResponse)
@router.get("/subscriptions.json", response_class=HTMLResponse)
def subscriptions_page(request: Request, user: User, deps: DepsDep) -> Response:
    return render(request, "subscriptions.html", _form_context(deps, user.owner), user)


@router.post("/subscriptions", response_class=HTMLResponse)
async def create_subscription(request: Request, user: Posted, deps: DepsDep) -> Response:
    form = await request.form()
    try:
        spec = _checked(deps, spec_of(body_of(form), user.owner))
        with transaction(deps.sessions) as session:
            if alert_store.find_subscription(session, user.owner, spec.name) is not None:
                raise HTTPException(409, f"you already have a subscription named {spec.name!r}")
            new_id = save(session, spec, origin="api")
    except (ValidationError, HTTPException, ValueError) as exc:
        context = {**_form_context(deps, user.owner), "problems": _problems(exc), "form": form}
        return render(request, "subscriptions.html", context, user)
    return RedirectResponse(f"{PREFIX}/subscriptions/{new_id}", status_code=303)


def _owned(deps: Deps, owner: str, subscription_id: int) -> Subscription:
    with deps.sessions() as session:
        return owned(session, owner, subscription_id)


@router.get("/subscriptions/{subscription_id:int}", response_class=HTMLResponse)
@router.get("/subscriptions/{subscription_id:int}.json", response_class=HTMLResponse)
def subscription_page(
    request: Request, subscription_id: int, user: User, deps: DepsDep, sent: bool = False
) -> Response:
    """One subscription: its rule, its alerts, its deliveries (dead ones can be replayed)."""
    row = _owned(deps, user.owner, subscription_id)
    with deps.sessions() as session:
        alerts = manage.subscription_alerts(session, row.id)
        deliveries = [DeliveryOut.of(d) for d in manage.subscription_deliveries(session, row.id)]
    data = {
        "subscription": browse.subscription_json(row),
        "alerts": [
            {
                "id": a.id,
                "kind": a.kind,
                "story_id": a.story_id,
                "created_at": a.created_at,
                "summary": (a.payload or {}).get("summary"),
            }
            for a in alerts
        ],
        "deliveries": [d.model_dump() for d in deliveries],
        "atom": atom_url(deps, row),
        "sent": sent,
    }
    return render(request, "subscription.html", {**data, **_choices(deps)}, user)


def _choices(deps: Deps) -> dict[str, Any]:
    with deps.sessions() as session:
        return {"actors": browse.list_actors(session), "channels": CHANNELS}


@router.post("/subscriptions/{subscription_id:int}", response_class=HTMLResponse)
async def edit_subscription(
    request: Request, subscription_id: int, user: Posted, deps: DepsDep
) -> Response:
    """Save the edited rule builder; problems are shown on the page, nothing is changed."""
    form = await request.form()
    try:
        spec = _checked(deps, spec_of(body_of(form), user.owner))
        with transaction(deps.sessions) as session:
            row = owned(session, user.owner, subscription_id)
            if row.origin == "config":
                raise HTTPException(409, "defined in subscriptions.yaml: change it there")
            other = alert_store.find_subscription(session, user.owner, spec.name)
            if other is not None and other.id != row.id:
                raise HTTPException(409, f"you already have a subscription named {spec.name!r}")
            alert_store.apply_spec(row, spec)
    except (ValidationError, ValueError, HTTPException) as exc:
        if isinstance(exc, HTTPException) and exc.status_code not in (409, 422):
            raise
        row = _owned(deps, user.owner, subscription_id)
        data = {"subscription": browse.subscription_json(row), "alerts": [], "deliveries": [],
                "atom": atom_url(deps, row), "problems": _problems(exc)}  # fmt: skip
        return render(request, "subscription.html", {**data, **_choices(deps)}, user)
    return RedirectResponse(f"{PREFIX}/subscriptions/{subscription_id}", status_code=303)


@router.post("/subscriptions/{subscription_id:int}/enabled")
async def toggle_subscription(
    request: Request, subscription_id: int, user: Posted, deps: DepsDep
) -> Response:
    form = await request.form()
    with transaction(deps.sessions) as session:
        row = owned(session, user.owner, subscription_id)
        alert_store.set_enabled(session, row, form.get("enabled") == "true")
    return RedirectResponse(f"{PREFIX}/subscriptions/{subscription_id}", status_code=303)


@router.post("/subscriptions/{subscription_id:int}/test")
def test_alert(subscription_id: int, user: Posted, deps: DepsDep) -> Response:
    """Send a test alert through the subscription's channel (a real delivery)."""
    with transaction(deps.sessions) as session:
        row = owned(session, user.owner, subscription_id)
        made = create_test_alert(session, row, datetime.now(UTC))
    if made is None:
        raise HTTPException(409, "no article stored yet: a test alert needs one to point at")
    enqueue(deps, made[1])
    return RedirectResponse(f"{PREFIX}/subscriptions/{subscription_id}?sent=true", status_code=303)


@router.post("/deliveries/{delivery_id:int}/replay")
def replay_delivery(delivery_id: int, user: Posted, deps: DepsDep) -> Response:
    out = found(replay_and_enqueue(deps, delivery_id, user.owner), "delivery", delivery_id)
    return RedirectResponse(f"{PREFIX}/subscriptions/{out.subscription_id}", status_code=303)


@router.post("/subscriptions/{subscription_id:int}/delete")
def delete_subscription(subscription_id: int, user: Posted, deps: DepsDep) -> Response:
    with transaction(deps.sessions) as session:
        row = owned(session, user.owner, subscription_id)
        if row.origin == "config":
            raise HTTPException(409, "defined in subscriptions.yaml: remove it there")
        alert_store.delete_subscription(session, row)
    return RedirectResponse(f"{PREFIX}/subscriptions", status_code=303)


@router.get("/subscriptions/{subscription_id:int}/atom.xml")
def atom_feed(
    request: Request,
    subscription_id: int,
    deps: DepsDep,
    token: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    """The subscription's alerts as Atom; the URL's token stands in for a login."""
    with deps.sessions() as session:
        row = alert_store.find_subscription_by_id(session, subscription_id)
        if row is None or not hmac.compare_digest(atom_token(deps, row), token):
            raise HTTPException(404, f"no subscription {subscription_id}")
        alerts = manage.subscription_alerts(session, row.id)
    base = str(request.base_url).rstrip("/")
    body = alerts_feed(row, alerts, self_url=str(request.url), base=base)
    return Response(body, media_type="application/atom+xml")
