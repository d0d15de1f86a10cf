"""Alert payloads (JSON-ready dicts) and their text and HTML renderings for e-mail and chat.

The payload is the one shape every channel sends; `render_text` and `render_html` turn an
alert or a digest payload into readable bodies. Pure: no I/O, no clock (pass `created_at`).

Inputs are plain dicts as the store returns them; the keys read are:
  story:   id, title (optional), first_article (optional dict, else `article` is used)
  article: id, title, url, source, published (datetime or ISO string), language
  outlets: source (or name), url, article_id, published, independent (default True:
           False marks a syndicated copy, which is listed but not counted)
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

from pipeline.alerts.match import Match
from pipeline.models import ActorRef, Claim, SubscriptionSpec

Kind = Literal["alert", "update", "digest"]
PAYLOAD_VERSION = 1
_ARTICLE_KEYS = ("id", "title", "url", "source", "published", "language")


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _article_view(article: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _plain(article.get(key)) for key in _ARTICLE_KEYS}


def _outlet_view(outlet: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "source": outlet.get("source") or outlet.get("name"),
        "url": outlet.get("url"),
        "article_id": outlet.get("article_id"),
        "published": _plain(outlet.get("published")),
        "independent": outlet.get("independent", True) is not False,
    }


def count_independent(outlets: Sequence[Mapping[str, Any]]) -> int:
    """Distinct sources among the outlets that are not syndicated copies."""
    sources = {(o["source"] or "").casefold() for o in outlets if o["independent"]}
    return len(sources)


def _subscription_view(subscription: SubscriptionSpec) -> dict[str, Any]:
    return {"id": subscription.id, "name": subscription.name, "owner": subscription.owner}


def _ref(ref: ActorRef | None) -> dict[str, Any] | None:
    return None if ref is None else {"id": ref.id, "text": ref.text}


def _role(ref: ActorRef | None) -> dict[str, Any] | None:
    """A claim role in a payload: id, the words the text used, the resolved actor's name."""
    if ref is None:
        return None
    return {"id": ref.id, "text": ref.text, "name": ref.name or ref.text}


def _claim_view(claim: Claim) -> dict[str, Any]:
    return {
        "subject": _role(claim.subject),
        "predicate": claim.predicate,
        "object": _role(claim.object),
        "theme": claim.theme,
        "negated": claim.negated,
        "hedged": claim.hedged,
        "quantity": claim.quantity,
        "speaker": _role(claim.speaker),
        "sentence": claim.sentence,
        "confidence": claim.confidence,
    }


def _story_view(
    story: Mapping[str, Any], article: Mapping[str, Any], outlets: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    views = [_outlet_view(o) for o in outlets] or [
        _outlet_view(
            {
                "source": article.get("source"),
                "url": article.get("url"),
                "article_id": article.get("id"),
                "published": article.get("published"),
            }
        )
    ]
    first = story.get("first_article") or article
    return {
        "id": story.get("id"),
        "title": story.get("title") or first.get("title"),
        "first_article": _article_view(first),
        "outlets": views,
        "outlet_count": len(views),
        "independent_outlets": count_independent(views),
    }


def _links(
    base_url: str | None, alert_id: Any, story_id: Any, article: Mapping[str, Any]
) -> dict[str, str | None]:
    base = base_url.rstrip("/") if base_url else None
    return {
        "article": article.get("url"),
        "alert": f"{base}/alerts/{alert_id}" if base and alert_id is not None else None,
        "story": f"{base}/stories/{story_id}" if base and story_id is not None else None,
    }


def _name(role: Mapping[str, Any] | None) -> str | None:
    """The resolved actor's name of a claim role, else the words the text used."""
    return (role.get("name") or role.get("text")) if role else None


def claim_phrase(claim: Mapping[str, Any]) -> str:
    """A claim as a short sentence: "North Korea supplies Wagner Group (said John Kirby)"."""
    subject = _name(claim.get("subject")) or "?"
    obj = _name(claim.get("object")) or claim.get("theme") or ""
    verb = ("not " if claim.get("negated") else "") + str(claim.get("predicate") or "")
    phrase = " ".join(p for p in (subject, verb, obj) if p)
    speaker = _name(claim.get("speaker"))
    return f"{phrase} (said {speaker})" if speaker else phrase


def headline(payload: Mapping[str, Any]) -> str:
    """One line saying what happened; used as e-mail subject and chat title."""
    story = payload.get("story") or {}
    actors = ", ".join(a["text"] for a in payload.get("actors", [])) or "story"
    count = story.get("independent_outlets", 0)
    if payload.get("kind") == "update":
        changes = "; ".join(payload.get("changes") or []) or f"now {count} outlets"
        return f"[newsmon] Update: {story.get('title')} ({changes})"
    return f"[newsmon] {actors}: {story.get('title')} ({count} outlets)"


def alert_payload(
    *,
    alert_id: int | str | None,
    subscription: SubscriptionSpec,
    story: Mapping[str, Any],
    article: Mapping[str, Any],
    outlets: Sequence[Mapping[str, Any]],
    match: Match,
    kind: Kind = "alert",
    base_url: str | None = None,
    changes: Sequence[str] = (),
    created_at: datetime | None = None,
) -> dict[str, Any]:
    """The JSON-ready payload for one alert or update about one story.

    `changes` lists what grew since the last message ("now 3 outlets", "North Korea
    denies") and is shown for updates. The result contains only JSON types.
    """
    story_view = _story_view(story, article, outlets)
    payload: dict[str, Any] = {
        "version": PAYLOAD_VERSION,
        "type": f"newsmon.{kind}",
        "kind": kind,
        "alert_id": alert_id,
        "created_at": _plain(created_at),
        "subscription": _subscription_view(subscription),
        "story": story_view,
        "article": _article_view(article),
        "actors": [_ref(a) for a in _actors_of(match)],
        "claims": [_claim_view(c) for c in match.claims],
        "changes": list(changes),
        "links": _links(base_url, alert_id, story_view["id"], article),
    }
    payload["summary"] = headline(payload)
    return payload


def set_alert_id(
    payload: dict[str, Any], alert_id: int | str, base_url: str | None = None
) -> dict[str, Any]:
    """Fill in the alert id (known only once the alert row exists) and the links using it."""
    payload["alert_id"] = alert_id
    article = payload.get("article") or {}
    story_id = (payload.get("story") or {}).get("id")
    payload["links"] = _links(base_url, alert_id, story_id, article)
    return payload


def _claim_key(claim: Mapping[str, Any]) -> tuple[Any, ...]:
    def ident(ref: Mapping[str, Any] | None) -> Any:
        return None if not ref else (ref.get("id") or str(ref.get("text", "")).casefold())

    predicate = str(claim.get("predicate") or "").casefold()
    return (
        ident(claim.get("subject")),
        predicate,
        ident(claim.get("object")),
        bool(claim.get("negated")),
    )


def _claim_change(claim: Mapping[str, Any]) -> str:
    if not claim.get("negated"):
        return f"new claim: {claim_phrase(claim)}"
    speaker = claim.get("speaker") or claim.get("subject") or {}
    who = _name(speaker) or "?"
    return f"{who} denies: {claim_phrase({**claim, 'speaker': None})}"


def story_changes(previous: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    """What grew between two payloads of one story, worth an update ("now 3 outlets").

    Empty when nothing a reader cares about changed: no new independent outlet, no new
    claim (a denial counts as new), no newly matched actor. Order: outlets, actors, claims.
    """
    changes: list[str] = []
    was = (previous.get("story") or {}).get("independent_outlets", 0)
    now = (current.get("story") or {}).get("independent_outlets", 0)
    if now > was:
        changes.append(f"now {now} outlets (was {was})")
    known_actors = {a.get("id") for a in previous.get("actors") or []}
    added = [a for a in current.get("actors") or [] if a.get("id") not in known_actors]
    if added:
        changes.append("now also " + ", ".join(str(a.get("text")) for a in added))
    known_claims = {_claim_key(c) for c in previous.get("claims") or []}
    for claim in current.get("claims") or []:
        if _claim_key(claim) not in known_claims:
            known_claims.add(_claim_key(claim))
            changes.append(_claim_change(claim))
    return changes


def _actors_of(match: Match) -> tuple[ActorRef, ...]:
    if match.actors:
        return match.actors
    return tuple(ActorRef(id=a, text=a) for a in match.actor_ids)


def digest_payload(
    subscription: SubscriptionSpec,
    payloads: Sequence[Mapping[str, Any]],
    *,
    created_at: datetime | None = None,
) -> dict[str, Any]:
    """Several alert payloads in one message, one entry per story (latest payload wins)."""
    by_story: dict[Any, Mapping[str, Any]] = {}
    for item in payloads:
        key = (item.get("story") or {}).get("id") or ("alert", item.get("alert_id"))
        by_story[key] = item
    items = [dict(p) for p in by_story.values()]
    return {
        "version": PAYLOAD_VERSION,
        "type": "newsmon.digest",
        "kind": "digest",
        "created_at": _plain(created_at),
        "subscription": _subscription_view(subscription),
        "count": len(items),
        "items": items,
        "summary": f"[newsmon] {subscription.name}: {len(items)} stories",
    }


def notice_payload(
    subscription: SubscriptionSpec,
    *,
    summary: str,
    created_at: datetime,
    type: str = "newsmon.notice",
    **extra: Any,
) -> dict[str, Any]:
    """A `notice` to a subscription's owner (disabled for failing, a test alert): no story."""
    return {
        "version": PAYLOAD_VERSION,
        "type": type,
        "kind": "notice",
        "created_at": _plain(created_at),
        "subscription": _subscription_view(subscription),
        "summary": summary,
        **extra,
    }


# -- text


def _text_item(payload: Mapping[str, Any]) -> list[str]:
    story = payload.get("story") or {}
    first = story.get("first_article") or {}
    lines = [str(story.get("title") or first.get("title") or "(untitled)")]
    lines.append(f"  First: {first.get('source') or '?'} {first.get('url') or ''}".rstrip())
    outlets = story.get("outlets") or []
    names = ", ".join(str(o.get("source") or "?") for o in outlets)
    lines.append(f"  Outlets ({story.get('independent_outlets', 0)} independent): {names}")
    actors = ", ".join(a["text"] for a in payload.get("actors", []))
    if actors:
        lines.append(f"  Actors: {actors}")
    for change in payload.get("changes") or []:
        lines.append(f"  Update: {change}")
    for claim in payload.get("claims") or []:
        lines.append(f"  Claim: {claim_phrase(claim)}")
        lines.append(f'    "{claim.get("sentence")}"')
    for name, url in (payload.get("links") or {}).items():
        if url:
            lines.append(f"  {name.capitalize()}: {url}")
    return lines


def render_text(payload: Mapping[str, Any]) -> str:
    """A plain-text body for an alert, update or digest payload."""
    lines = [str(payload.get("summary") or headline(payload)), ""]
    for item in payload.get("items") or [payload]:
        lines.extend(_text_item(item))
        lines.append("")
    sub = payload.get("subscription") or {}
    lines.append(f"-- subscription {sub.get('name')} (owner {sub.get('owner')})")
    return "\n".join(lines) + "\n"


# -- html


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _link(url: Any, label: Any) -> str:
    if not url or not str(url).lower().startswith(("http://", "https://")):
        return _e(label)  # never emit javascript: or data: hrefs from feed content
    return f'<a href="{_e(url)}">{_e(label)}</a>'


def _html_item(payload: Mapping[str, Any]) -> str:
    story = payload.get("story") or {}
    first = story.get("first_article") or {}
    parts = [f"<h2>{_link(first.get('url'), story.get('title') or first.get('title'))}</h2>"]
    outlets = ", ".join(
        _link(o.get("url"), o.get("source") or "?") for o in story.get("outlets", [])
    )
    parts.append(
        f"<p>First reported by {_e(first.get('source') or '?')}. "
        f"Outlets ({_e(story.get('independent_outlets', 0))} independent): {outlets}</p>"
    )
    actors = ", ".join(_e(a["text"]) for a in payload.get("actors", []))
    if actors:
        parts.append(f"<p>Actors: {actors}</p>")
    parts.extend(f"<p><strong>Update:</strong> {_e(c)}</p>" for c in payload.get("changes") or [])
    claims = "".join(
        f"<li>{_e(claim_phrase(c))}<blockquote>{_e(c.get('sentence'))}</blockquote></li>"
        for c in payload.get("claims") or []
    )
    if claims:
        parts.append(f"<ul>{claims}</ul>")
    links = " | ".join(
        _link(u, n.capitalize()) for n, u in (payload.get("links") or {}).items() if u
    )
    if links:
        parts.append(f"<p>{links}</p>")
    return "<section>" + "".join(parts) + "</section>"


def render_html(payload: Mapping[str, Any]) -> str:
    """An HTML body (every value escaped) for an alert, update or digest payload."""
    title = _e(payload.get("summary") or headline(payload))
    body = "".join(_html_item(item) for item in payload.get("items") or [payload])
    sub = payload.get("subscription") or {}
    footer = f"<p><small>subscription {_e(sub.get('name'))} (owner {_e(sub.get('owner'))})"
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><h1>{title}</h1>{body}<hr>{footer}</small></p></body></html>"
    )
