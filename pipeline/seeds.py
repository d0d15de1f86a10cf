"""Reads article files: plain text with optional front matter, or JSON with `text` and `title`.

Seed format (`seeds/*.txt`)::

    ---
    title: North Korea supplying arms to Russian mercenary Wagner Group, US says
    source: Fox News
    url: https://www.foxnews.com/...
    published: 2022-12-22T18:00:00Z
    language: en
    ---
    Body text, paragraphs separated by blank lines.

Every front matter key is optional and so is the front matter itself; without a `title`,
the first non-empty line of the body is the title.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import ConfigError
from pipeline.models import ArticleIn

SUFFIXES = (".txt", ".md", ".json", ".text")
_FRONT_KEYS = {"title", "source", "url", "published", "language"}


def parse_article(raw: str, *, name: str, origin: str = "seed") -> ArticleIn:
    """An ArticleIn from the text of a seed file; ConfigError names the file on bad front matter."""
    meta: dict[str, Any] = {}
    body = raw.lstrip("\ufeff")
    if body.startswith("---"):
        head, sep, rest = body[3:].partition("\n---")
        if not sep:
            raise ConfigError("front matter opened with '---' is never closed", path=name, line=1)
        try:
            meta = yaml.safe_load(head) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"front matter is not valid YAML: {exc}", path=name, line=1) from None
        if not isinstance(meta, dict):
            raise ConfigError("front matter must be a mapping", path=name, line=1)
        unknown = set(meta) - _FRONT_KEYS
        if unknown:
            known = ", ".join(sorted(_FRONT_KEYS))
            raise ConfigError(
                f"unknown front matter keys {sorted(unknown)} (known: {known})", path=name, line=1
            )
        body = rest.partition("\n")[2]
    return _article(meta, body.strip(), origin)


def _article(meta: dict[str, Any], body: str, origin: str) -> ArticleIn:
    title = str(meta.get("title") or "").strip()
    if not title:
        first, _, rest = body.partition("\n")
        title, body = first.strip(), rest.strip()
    return ArticleIn(
        title=title,
        text=body,
        url=meta.get("url"),
        source=meta.get("source"),
        published=_datetime(meta.get("published")),
        language=meta.get("language"),
        origin=origin,
    )


def _datetime(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def read_article(path: Path | str, *, origin: str = "seed") -> ArticleIn:
    """Read one file (`-` is standard input); JSON files need a `text` field."""
    name = str(path)
    raw = sys.stdin.read() if name == "-" else Path(path).read_text(encoding="utf-8")
    if name.endswith(".json"):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"not valid JSON: {exc}", path=name, line=exc.lineno) from None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise ConfigError("a JSON article needs a string field 'text'", path=name)
        return _article({k: data.get(k) for k in _FRONT_KEYS}, data["text"].strip(), origin)
    return parse_article(raw, name=name, origin=origin)


def iter_article_files(paths: Sequence[Path]) -> Iterator[Path]:
    """Files named, and article files inside folders named, in a stable order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in SUFFIXES)
        elif path.exists():
            yield path
        else:
            raise ConfigError("no such file or folder", path=str(path))
