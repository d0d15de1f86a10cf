"""From what an article matched to the alerts to store: pure, no I/O, no clock (pass `now`).

`run.match` reads an article's facts, matches them (`match.match_all`), reads the story's
context for the subscriptions that matched, and hands both here; `compose` returns one
`Draft` per alert or update to write. The rules, each named:

- one alert per subscription and story (`alert_draft`, dedupe key `story:<id>`);
- a story already alerted gets an `update` only when the subscription wants updates and
  the story grew since everything its earlier messages said (`update_draft`, dedupe key
  `story:<id>:update:<n>`, n = earlier messages);
- an actor rule shows the claims about its matched actors (`with_actor_claims`), so its
  message says what they did and its updates compare claims too;
- syndicated copies are listed among the outlets but not counted as independent
  (`marked_outlets`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from pipeline.alerts.match import Match
from pipeline.alerts.render import alert_payload, headline, set_alert_id, story_changes
from pipeline.models import Extraction, SubscriptionSpec


@dataclass(frozen=True, slots=True)
class StoryContext:
    """What composing needs besides the matches: the story, the article, its outlets."""

    story_id: int
    article_id: int
    extraction: Extraction
    story: dict[str, Any]
    article: dict[str, Any]
    outlets: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Earlier:
    """An earlier message (alert or update) of a subscription about the story."""

    alert_id: int
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Draft:
    """An alert to insert; `payload` lacks only the alert id, known once the row exists."""

    subscription: SubscriptionSpec
    story_id: int
    article_id: int
    kind: str
    dedupe_key: str
    payload: dict[str, Any]
    base_url: str | None = None

    @property
    def instant(self) -> bool:
        """Delivered on its own (a digest subscription's alerts wait for the digest)."""
        return self.subscription.mode == "instant"

    def finished(self, alert_id: int) -> dict[str, Any]:
        """The payload with its alert id and the links that use it."""
        return set_alert_id(dict(self.payload), alert_id, self.base_url)


def marked_outlets(outlets: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Outlets with `independent`: False for a syndicated copy (it has `duplicate_of`)."""
    return [{**o, "independent": o.get("duplicate_of") is None} for o in outlets]


def with_actor_claims(found: Match, extraction: Extraction) -> Match:
    """A match without claims (an actor rule) shows the claims about its matched actors."""
    if found.claims:
        return found
    ids = set(found.actor_ids)
    about = [
        c
        for c in extraction.claims
        if ids & {r.id for r in (c.subject, c.object, c.speaker) if r is not None}
    ]
    return replace(found, claims=tuple(about))


def alert_draft(
    found: Match, context: StoryContext, *, base_url: str | None, now: datetime
) -> Draft:
    """The first message of a subscription about a story."""
    payload = alert_payload(
        alert_id=None,
        subscription=found.subscription,
        story=context.story,
        article=context.article,
        outlets=context.outlets,
        match=with_actor_claims(found, context.extraction),
        base_url=base_url,
        created_at=now,
    )
    return Draft(
        subscription=found.subscription,
        story_id=context.story_id,
        article_id=context.article_id,
        kind="alert",
        dedupe_key=f"story:{context.story_id}",
        payload=payload,
        base_url=base_url,
    )


def known_so_far(earlier: Sequence[Earlier]) -> dict[str, Any]:
    """Everything earlier messages of a story said, merged, so growth is judged cumulatively."""
    payloads = [e.payload for e in earlier]
    outlets = max((p.get("story") or {}).get("independent_outlets", 0) for p in payloads)
    return {
        "story": {"independent_outlets": outlets},
        "actors": [x for p in payloads for x in p.get("actors") or []],
        "claims": [x for p in payloads for x in p.get("claims") or []],
    }


def update_draft(alert: Draft, earlier: Sequence[Earlier]) -> Draft | None:
    """An `update` of an alerted story when it grew since its earlier messages; else None."""
    earlier = [e for e in earlier if e.payload]
    if not earlier:
        return None
    changes = story_changes(known_so_far(earlier), alert.payload)
    if not changes:
        return None
    payload = {
        **alert.payload,
        "kind": "update",
        "type": "newsmon.update",
        "changes": changes,
        "previous_alert_id": earlier[0].alert_id,
    }
    payload["summary"] = headline(payload)
    dedupe_key = f"story:{alert.story_id}:update:{len(earlier)}"
    return replace(alert, kind="update", dedupe_key=dedupe_key, payload=payload)


def follow_up(alert: Draft, earlier: Sequence[Earlier]) -> Draft | None:
    """What a subscription gets about a story: the alert when it has no message about it
    yet, else an update when it wants updates and the story grew, else nothing."""
    if not any(e.payload for e in earlier):
        return alert
    return update_draft(alert, earlier) if alert.subscription.updates else None


def compose(
    matches: Sequence[Match],
    context: StoryContext,
    earlier: Mapping[int, Sequence[Earlier]],
    *,
    base_url: str | None,
    now: datetime,
) -> list[Draft]:
    """The alerts and updates of one article's matches, in subscription order.

    `earlier` holds each matched subscription's messages about the story (by its id).
    """
    drafts = []
    for found in matches:
        alert = alert_draft(found, context, base_url=base_url, now=now)
        sub_id = found.subscription.id
        draft = follow_up(alert, earlier.get(sub_id, ()) if sub_id is not None else ())
        if draft is not None:
            drafts.append(draft)
    return drafts
