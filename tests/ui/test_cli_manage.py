"""The run-time edit commands through the real CLI: actors, feeds, keys, and the dashboard URL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from pipeline.store.db import make_engine, make_sessionmaker
from pipeline.store.tables import ApiKey, Feed
from tests.conftest import ROOT, make_settings, settings_env
from workers.ui import dashboard_url


def test_actor_feed_key_commands_and_dashboard_url(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    env = settings_env(settings)

    def newsmon(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "workers.cli.main", *args],
            env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    newsmon("actors", "add", "azov-brigade", "--name", "Azov Brigade", "--alias", "Azov")
    newsmon("actors", "edit", "azov-brigade", "--alias", "Azov", "--alias", "Азов")
    listed = {a["id"]: a for a in json.loads(newsmon("actors", "list", "--json"))}
    assert listed["azov-brigade"]["aliases"] == ["Azov", "Азов"]
    newsmon("actors", "remove", "azov-brigade")
    assert "azov-brigade" not in newsmon("actors", "list")

    newsmon("feeds", "add", "https://cli-feed.example/rss", "--force")
    sessions = make_sessionmaker(make_engine(settings.effective_database_url))
    with sessions() as s:
        feed_id = s.scalars(select(Feed.id).where(Feed.url == "https://cli-feed.example/rss")).one()
    newsmon("feeds", "pause", str(feed_id))
    newsmon("feeds", "edit", str(feed_id), "--language", "uk")
    with sessions() as s:
        row = s.get_one(Feed, feed_id)
        assert (row.enabled, row.language) == (False, "uk")
    newsmon("feeds", "resume", str(feed_id))
    newsmon("feeds", "remove", str(feed_id))
    with sessions() as s:
        assert s.get(Feed, feed_id) is None

    newsmon("keys", "create", "erin")
    line = newsmon("keys", "list", "erin").strip()
    key_id = line.split("\t")[0]
    assert "live" in line
    newsmon("keys", "revoke", key_id)
    assert "revoked" in newsmon("keys", "list", "erin")
    with sessions() as s:
        assert s.get_one(ApiKey, int(key_id)).revoked_at is not None

    assert newsmon("dashboard").strip() == dashboard_url(settings)
    assert "/ui/login?token=" in dashboard_url(settings)
