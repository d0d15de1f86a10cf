"""Where the poller's items go: the ingest queue, or the full-text queue first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pipeline.models import ArticleIn
from workers.queue.fetch import fetch_full_text
from workers.queue.tasks import ingest


class Enqueuer(Protocol):
    """Where items go: the ingest queue, or the full-text queue first."""

    def articles(self, articles: Sequence[ArticleIn]) -> None: ...

    def full_text(self, article: ArticleIn) -> None: ...


class CeleryEnqueuer:
    """Sends articles to the Celery `ingest` task and page fetches to `fetch_full_text`."""

    def articles(self, articles: Sequence[ArticleIn]) -> None:
        ingest.delay([a.to_json() for a in articles])

    def full_text(self, article: ArticleIn) -> None:
        fetch_full_text.delay(article.to_json())
