"""Canonical URLs, rel=canonical on real publishers' pages, text normalisation and hashes."""

from __future__ import annotations

import pytest

from pipeline.dedup.normalize import (
    canonical_url,
    content_hash,
    document_text,
    find_rel_canonical,
    normalize_text,
    strip_boilerplate,
    url_key,
)
from tests.conftest import ROOT, SHARED

ARTICLES = SHARED / "articles"
SEED = ROOT / "seeds" / "000_0cf084d475006415.txt"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://WWW.Example.COM:443/a/b#top", "https://www.example.com/a/b"),
        ("http://example.com:80/", "http://example.com/"),
        ("http://example.com:8080/x", "http://example.com:8080/x"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("https://example.com/a?utm_source=rss&utm_medium=feed&id=7", "https://example.com/a?id=7"),
        (
            "https://example.com/a?fbclid=IwAR0x&gclid=abc&mc_cid=1&mc_eid=2",
            "https://example.com/a",
        ),
        ("https://example.com/a?amp", "https://example.com/a"),
        ("https://example.com/a?outputType=amp", "https://example.com/a"),
        ("https://example.com/a?outputType=xml", "https://example.com/a?outputType=xml"),
        ("https://amp.example.com/news/story", "https://www.example.com/news/story"),
        ("https://m.example.com/news/story", "https://www.example.com/news/story"),
        ("https://mobile.example.co.uk/news/story", "https://www.example.co.uk/news/story"),
        ("https://m.co/x", "https://m.co/x"),
        ("https://example.com/news/story/amp/", "https://example.com/news/story"),
        ("https://example.com/news/story.amp", "https://example.com/news/story"),
        ("https://example.com/news/story.amp.html", "https://example.com/news/story.html"),
        ("https://example.com/news/story_amp.html", "https://example.com/news/story.html"),
        ("https://example.com/amp/news/story", "https://example.com/news/story"),
        ("https://example.com/news/story/", "https://example.com/news/story"),
        ("https://example.com/a%7Eb", "https://example.com/a~b"),
        (
            "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/amp/news/x",
            "https://www.example.com/news/x",
        ),
        ("https://www.google.com/amp/s/m.example.com/news/x", "https://www.example.com/news/x"),
        (
            "https://web.archive.org/web/20231008103508/https://www.foxnews.com/politics/x.amp",
            "https://www.foxnews.com/politics/x",
        ),
        ("  mailto:desk@example.com ", "mailto:desk@example.com"),
        ("not a url", "not a url"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_canonical_url_is_idempotent() -> None:
    url = "https://M.Example.com/amp/a/b.amp.html?utm_campaign=x&z=1&a=2#f"
    assert canonical_url(canonical_url(url)) == canonical_url(url)


def test_url_key_folds_scheme_and_www() -> None:
    assert url_key("http://www.example.com/a/") == url_key("https://example.com/a?utm_source=x")


# (page, the URL it was fetched from, its rel=canonical after resolution)
PAGES = [
    (
        "nytimes__us-to-lift-sudan-sanctions.html",
        "https://www.nytimes.com/2017/01/13/world/africa/sudan-sanctions.html?smid=tw-share",
        "https://www.nytimes.com/2017/01/13/world/africa/sudan-sanctions.html",
    ),
    (
        "telegraph__zimbabwe-coup-mugabe.html",
        "http://www.telegraph.co.uk/news/2017/11/16/x/",
        "http://www.telegraph.co.uk/news/2017/11/16/"
        "zimbabwes-robert-mugabe-wife-grace-insisting-finishes-term-priest/",
    ),
    (
        "cnn__zelensky-washington-takeaways-2023.html",
        "https://edition.cnn.com/x",
        "https://www.cnn.com/2023/12/12/politics/takeaways-volodymyr-zelensky-washington/index.html",
    ),
    (
        "ura-ru__nyusha-putin-team-ru.wayback.html",
        "https://ura.news/news/1052317323",
        "https://web.archive.org/web/20220721144334/https://ura.news/news/1052317323",
    ),
    ("huanqiu__japan-foreign-trainees-zh.wayback.html", "https://world.huanqiu.com/a", None),
]


@pytest.mark.parametrize(("name", "fetched", "expected"), PAGES)
def test_find_rel_canonical_on_real_pages(name: str, fetched: str, expected: str | None) -> None:
    html = (ARTICLES / name).read_bytes()
    assert find_rel_canonical(html, fetched) == expected


# Pages whose <link rel=amphtml> must fold onto their rel=canonical.
AMP_PAGES = [
    "nytimes__us-to-lift-sudan-sanctions.html",
    "telegraph__zimbabwe-coup-mugabe.html",
    "foxnews__biden-cancels-corinthian-loans.wayback.html",
    # not corriere: its AMP page is `..._amp.html` for a canonical `....shtml`
]


@pytest.mark.parametrize("name", AMP_PAGES)
def test_amp_variant_of_real_page_folds_onto_canonical(name: str) -> None:
    import re

    html = (ARTICLES / name).read_text(encoding="utf-8", errors="replace")
    amp = re.search(r'<link[^>]*rel="amphtml"[^>]*href="([^"]+)"', html)
    assert amp, "fixture has an amphtml link"
    canonical = find_rel_canonical(html, "https://example.org/page")
    assert canonical is not None
    assert url_key(amp.group(1)) == url_key(canonical)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<link rel="canonical" href="/news/a">', "https://example.com/news/a"),
        (
            '<base href="https://cdn.example.com/x/"><link rel=canonical href="a">',
            "https://cdn.example.com/x/a",
        ),
        ('<LINK REL="Canonical alternate" HREF="https://example.com/b">', "https://example.com/b"),
        ('<link rel="canonical" href="https://example.com/">', None),
        ('<link rel="canonical" href="javascript:alert(1)">', None),
        ('<link rel="canonical" href="">', None),
        ('<link rel="stylesheet" href="/s.css">', None),
    ],
)
def test_find_rel_canonical_cases(html: str, expected: str | None) -> None:
    assert find_rel_canonical(html, "https://example.com/news/page") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The \u2018White House\u2019 said", "the 'white house' said"),
        ("\u201cQuoted\u201d \u2014 a dash \u2013 here", '"quoted" - a dash - here'),
        ("  many   spaces\n\nand\tlines ", "many spaces and lines"),
        ("ﬁnance\u00a0desk", "finance desk"),
        ("soft\u00adhyphen zero\u200bwidth", "softhyphen zerowidth"),
    ],
)
def test_normalize_text(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


@pytest.mark.parametrize(
    "line",
    [
        "This post appeared first on FOX NEWS",
        "This article originally appeared on NewsBreak.",
        "This story was first published on The Conversation.",
        "Read more: Zelensky to visit White House",
        "Follow us on Twitter @FoxNews",
        "© 2022 FOX News Network, LLC. All rights reserved.",
        "Copyright 2023 The Associated Press. All rights reserved.",
        "(Reporting by Steve Holland; Editing by Howard Goller)",
        "U.S. | World | Politics | Media | Opinion",
        "Advertisement",
        "We use cookies to improve your experience. By continuing you agree to our cookie policy.",
    ],
)
def test_strip_boilerplate_drops_furniture(line: str) -> None:
    assert strip_boilerplate(f"First paragraph of the story.\n{line}\nLast one.") == (
        "First paragraph of the story.\nLast one."
    )


@pytest.mark.parametrize(
    "line",
    [
        "Kirby said he would read more of the intelligence reports before deciding.",
        "The copyright dispute between the two publishers went to court on Monday.",
        "Officials said the post appeared to have been deleted after an hour.",
    ],
)
def test_strip_boilerplate_keeps_article_sentences(line: str) -> None:
    assert strip_boilerplate(line) == line


def test_content_hash_ignores_footer_quotes_and_spacing() -> None:
    seed = SEED.read_text(encoding="utf-8")
    without_footer = seed.replace("This post appeared first on FOX NEWS", "")
    straight = seed.replace("\u2018", "'").replace("\u2019", "'").replace("\n\n", "\n")
    assert content_hash(seed) == content_hash(without_footer) == content_hash(straight)
    assert content_hash(seed) != content_hash(seed.replace("50,000", "60,000"))
    assert len(content_hash(seed)) == 64


def test_document_text() -> None:
    assert document_text(" Title ", "Body.\n") == "Title\n\nBody."
    assert document_text("", "Body.") == "Body."
    assert document_text("Title", "") == "Title"
