"""Alert payloads and their text and HTML bodies."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from notify_facts import DENY, SUPPLY, facts, sub

from pipeline.alerts.match import match_all
from pipeline.alerts.render import (
    alert_payload,
    digest_payload,
    render_html,
    render_text,
    set_alert_id,
    story_changes,
)
from pipeline.models import Rule

STORY = {"id": 10, "title": "North Korea sends rockets to Wagner, US says"}
ARTICLE = {
    "id": 1,
    "title": "North Korea sends rockets to Wagner, US says",
    "url": "https://www.reuters.com/world/nk-wagner",
    "source": "reuters.com",
    "published": datetime(2022, 12, 22, 18, 0, tzinfo=UTC),
    "language": "en",
}
OUTLETS = [
    {"source": "reuters.com", "url": ARTICLE["url"], "article_id": 1},
    {"source": "apnews.com", "url": "https://apnews.com/nk", "article_id": 2},
    {
        "source": "yahoo.com",
        "url": "https://news.yahoo.com/nk",
        "article_id": 3,
        "independent": False,
    },
]
SUB = sub(Rule(claim_subject="north-korea", claim_object="wagner-group"), name="nk-wagner")


def payload(**overrides):
    [match] = match_all([SUB], facts())
    args = dict(
        alert_id=7,
        subscription=SUB,
        story=STORY,
        article=ARTICLE,
        outlets=OUTLETS,
        match=match,
        kind="alert",
        base_url="https://newsmon.example/",
    )
    args.update(overrides)
    return alert_payload(**args)


def test_payload_carries_story_outlets_actors_claims_and_links() -> None:
    p = payload()
    json.dumps(p)  # JSON-ready: nothing but plain values
    assert p["story"]["first_article"]["published"] == "2022-12-22T18:00:00+00:00"
    assert p["story"]["outlet_count"] == 3
    assert p["story"]["independent_outlets"] == 2  # the syndicated copy is not counted
    assert [a["id"] for a in p["actors"]] == ["north-korea", "wagner-group"]
    [claim] = p["claims"]
    assert claim["sentence"] == SUPPLY.sentence
    assert claim["speaker"] == {"id": "john-kirby", "text": "John Kirby", "name": "John Kirby"}
    assert p["links"] == {
        "article": ARTICLE["url"],
        "alert": "https://newsmon.example/alerts/7",
        "story": "https://newsmon.example/stories/10",
    }


def test_payload_without_outlets_counts_the_article_itself() -> None:
    p = payload(outlets=[], base_url=None)
    assert p["story"]["independent_outlets"] == 1
    assert p["links"]["story"] is None


def test_text_body_is_readable() -> None:
    text = render_text(payload())
    assert "North Korea deliver Wagner Group (said John Kirby)" in text
    assert SUPPLY.sentence in text
    assert "Outlets (2 independent): reuters.com, apnews.com, yahoo.com" in text


def test_update_names_the_changes() -> None:
    [match] = match_all([sub(Rule(claim_subject="north-korea"))], facts())
    match = type(match)(match.subscription, match.actor_ids, (DENY,), match.actors)
    p = payload(kind="update", match=match, changes=["now 3 outlets", "North Korea denies"])
    assert p["type"] == "newsmon.update"
    assert "now 3 outlets; North Korea denies" in p["summary"]
    assert "North Korea not supply Wagner Group" in render_text(p)


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.hrefs: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "script":
            raise AssertionError("script tag leaked into the HTML body")
        self.hrefs += [v for k, v in attrs if k == "href"]


def test_html_escapes_hostile_feed_content() -> None:
    hostile = {**STORY, "title": '<script>alert("x")</script> & co'}
    evil_outlet = {"source": "<b>evil</b>", "url": "javascript:alert(1)"}
    p = payload(story=hostile, outlets=[*OUTLETS, evil_outlet])
    parser = _TextCollector()
    parser.feed(render_html(p))
    text = "".join(parser.text)
    assert '<script>alert("x")</script> & co' in text  # shown as text, not markup
    assert "<b>evil</b>" in text
    assert not any(h.startswith("javascript:") for h in parser.hrefs)
    assert ARTICLE["url"] in parser.hrefs


def test_digest_lists_each_story_once() -> None:
    first = payload(alert_id=1)
    later = payload(alert_id=2, story={**STORY, "title": "Updated title"})
    other = payload(alert_id=3, story={"id": 11, "title": "Prigozhin in Mali"})
    digest = digest_payload(SUB, [first, later, other])
    assert digest["count"] == 2
    assert [i["story"]["title"] for i in digest["items"]] == ["Updated title", "Prigozhin in Mali"]
    text = render_text(digest)
    assert "Updated title" in text and "Prigozhin in Mali" in text
    assert render_html(digest).count("<section>") == 2


def test_set_alert_id_fills_links() -> None:
    p = set_alert_id(payload(alert_id=None), 42, "https://newsmon.example")
    assert p["alert_id"] == 42
    assert p["links"]["alert"] == "https://newsmon.example/alerts/42"


def _with_claims(claims) -> dict:
    [match] = match_all([SUB], facts())
    return payload(
        match=type(match)(match.subscription, match.actor_ids, tuple(claims), match.actors)
    )


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("one-outlet", "same", []),
        ("one-outlet", "three-outlets", ["now 2 outlets (was 1)"]),
        (
            "supply",
            "supply+denial",
            ["the foreign ministry denies: North Korea not supply Wagner Group"],
        ),
        ("supply", "supply-again", []),
        ("three-outlets", "one-outlet", []),  # shrinking is not news
    ],
)
def test_story_changes(before: str, after: str, expected: list[str]) -> None:
    variants = {
        "one-outlet": lambda: payload(outlets=OUTLETS[:1]),
        "same": lambda: payload(outlets=OUTLETS[:1]),
        "three-outlets": lambda: payload(outlets=OUTLETS),
        "supply": lambda: _with_claims([SUPPLY]),
        "supply+denial": lambda: _with_claims([SUPPLY, DENY]),
        "supply-again": lambda: _with_claims([SUPPLY, SUPPLY]),
    }
    assert story_changes(variants[before](), variants[after]()) == expected


def test_story_changes_names_new_actors() -> None:
    before = payload()
    after = payload()
    after["actors"] = [*after["actors"], {"id": "russia", "text": "Russia"}]
    assert story_changes(before, after) == ["now also Russia"]


ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "body",
    "h1",
    "h2",
    "section",
    "p",
    "a",
    "ul",
    "li",
    "blockquote",
    "strong",
    "hr",
    "small",
}


class _Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        self.tags.add(tag)
        self.hrefs += [v for k, v in attrs if k == "href"]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@settings(max_examples=150, deadline=None)
@given(title=st.text(min_size=1), source=st.text(), url=st.text(), sentence=st.text())
def test_html_never_lets_feed_text_become_markup(title, source, url, sentence) -> None:
    claim = {**SUPPLY.to_json(), "sentence": sentence}
    p = payload(
        story={"id": 10, "title": title}, outlets=[{"source": source, "url": url}], base_url=None
    )
    p["claims"] = [claim]
    parser = _Structure()
    parser.feed(render_html(p))
    parser.close()
    assert parser.tags <= ALLOWED_TAGS
    assert all(h.lower().startswith(("http://", "https://")) for h in parser.hrefs)
    assert title in "".join(parser.text)
