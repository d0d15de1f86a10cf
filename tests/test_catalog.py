"""Config files and seed files: good ones load, bad ones fail naming the file, line and entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.catalog import load_actors, load_feeds, load_subscriptions
from pipeline.errors import ConfigError
from pipeline.seeds import iter_article_files, parse_article, read_article
from pipeline.settings import load_settings
from tests.conftest import ROOT


def test_shipped_config_loads() -> None:
    actors = load_actors(ROOT / "config" / "entities.yaml")
    ids = {a.id for a in actors}
    assert {"north-korea", "wagner-group", "yevgeny-prigozhin", "john-kirby"} <= ids
    assert load_feeds(ROOT / "config" / "feeds.yaml")
    assert load_subscriptions(ROOT / "config" / "subscriptions.yaml", ids)


@pytest.mark.parametrize(
    ("loader", "content", "line", "fragment"),
    [
        (
            load_feeds,
            "feeds:\n  - url: https://a.example/rss\n  - url: ftp://b.example/x\n",
            3,
            "feeds entry 2 (ftp://b.example/x): url: Value error, must be an http",
        ),
        (load_feeds, "feeds:\n  - url: https://a.example/rss\n    intervall: 5\n", 2, "intervall"),
        (
            load_feeds,
            "feeds:\n  - url: https://a.example/rss\n  - url: https://a.example/rss\n",
            3,
            "listed twice (first on line 2)",
        ),
        (
            load_actors,
            "actors:\n  - id: x\n    name: X\n    type: PLANET\n",
            2,
            "actors entry 1 (x): type",
        ),
        (
            load_actors,
            "actors:\n  - id: Bad Id\n    name: X\n    type: ORG\n",
            2,
            "must be lower-case",
        ),
        (
            load_actors,
            "actors:\n  - id: a\n    name: A\n    type: ORG\n  - id: a\n    name: B\n    type: ORG\n",
            5,
            "actor id 'a' is used twice",
        ),
        (load_actors, "actors:\n  - id: a\n    name: [unclosed\n", 3, "not valid YAML"),
        (load_actors, "people: []\n", 1, "expected a top-level 'actors:' list"),
    ],
)
def test_bad_config_names_file_line_and_entry(
    tmp_path: Path, loader, content: str, line: int, fragment: str
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(content)
    with pytest.raises(ConfigError) as info:
        loader(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert fragment in message


def test_subscription_with_unknown_actor_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "subs.yaml"
    path.write_text(
        "subscriptions:\n  - name: s\n    owner: o\n    rule: {any_actors: [atlantis]}\n"
        "    target: x.jsonl\n"
    )
    with pytest.raises(
        ConfigError, match=r"subs.yaml:2: subscription 's': unknown actor id\(s\) atlantis"
    ):
        load_subscriptions(path, {"north-korea"})


def test_bad_setting_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSMON_API_PORT", "eighty")
    with pytest.raises(ConfigError, match="NEWSMON_API_PORT"):
        load_settings()


def test_seed_front_matter_and_plain_text(tmp_path: Path) -> None:
    with_meta = parse_article(
        "---\ntitle: T\nsource: Fox News\nurl: https://x.example/a\npublished: 2022-12-22T18:00:00Z\n---\nBody.\n",
        name="a.txt",
    )
    assert (with_meta.title, with_meta.source, with_meta.text) == ("T", "Fox News", "Body.")
    assert with_meta.published is not None and with_meta.published.year == 2022
    plain = parse_article("Headline here\n\nFirst paragraph.\n", name="b.txt")
    assert (plain.title, plain.text) == ("Headline here", "First paragraph.")
    with pytest.raises(ConfigError, match=r"c\.txt:1: unknown front matter keys"):
        parse_article("---\nauthor: me\n---\nx", name="c.txt")
    (tmp_path / "d.json").write_text('{"title": "J", "text": "Body"}')
    assert read_article(tmp_path / "d.json").title == "J"


def test_seed_corpus_is_readable() -> None:
    files = list(iter_article_files([ROOT / "seeds"]))
    assert files
    article = read_article(files[0])
    assert article.title.startswith("North Korea supplying arms")
