"""Per-process wiring: settings, database, Redis, channels, dedup index, extractor, built once."""

from __future__ import annotations

import json
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from pipeline.catalog import load_actors, load_subscriptions
from pipeline.models import Actor, SubscriptionSpec
from pipeline.settings import Settings
from pipeline.store.db import Engine, Sessions, StoreError, make_engine, make_sessionmaker

if TYPE_CHECKING:
    from pipeline.alerts.channels import Channels
    from pipeline.dedup import NearDuplicateIndex
    from pipeline.extract import Extractor


def redis_client(url: str, *, ride_out_restarts: bool = False) -> redis.Redis:
    """A redis-py client for a redis://, rediss:// or redis+socket:///path URL.

    With `ride_out_restarts` (Celery tasks), a command whose connection fails is retried
    with backoff for about half a minute, so a restarting Redis is ridden out inside the
    task. Otherwise the task's autoretry would have to publish its retry through the same
    absent broker, and kombu can fail that with an AttributeError that loses the task (seen
    in tests/process/test_faults.py). Health checks want the failure at once: no retries.
    """
    options: dict[str, Any] = {"socket_timeout": 30, "health_check_interval": 30}
    if ride_out_restarts:
        options["retry"] = Retry(ExponentialBackoff(cap=2.0, base=0.1), 20)
        options["retry_on_error"] = [redis.ConnectionError, redis.TimeoutError]
    parsed = urlparse(url)
    if parsed.scheme in ("redis+socket", "unix"):
        return redis.Redis(unix_socket_path=parsed.path, **options)
    return redis.Redis.from_url(url, **options)


class Deps:
    """The real stores one process uses; every attribute is created on first use."""

    def __init__(self, settings: Settings, *, ride_out_redis_restarts: bool = False) -> None:
        self.settings = settings
        self.ride_out_redis_restarts = ride_out_redis_restarts

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.effective_database_url)

    @cached_property
    def sessions(self) -> Sessions:
        return make_sessionmaker(self.engine)

    @cached_property
    def redis(self) -> redis.Redis:
        if not self.settings.redis_url:
            raise RuntimeError("no Redis URL: start the embedded Redis first")
        return redis_client(self.settings.redis_url, ride_out_restarts=self.ride_out_redis_restarts)

    @cached_property
    def channels(self) -> Channels:
        """Every alert channel. A relative `file` target names a file under the var directory
        (wherever the process was started from, and never outside it); `stream` publishes
        through this process's Redis client, connected on first publish."""
        # Imported here: the channels bring aiohttp and apprise, which commands that never
        # deliver (reprocess, status) would otherwise load at start.
        from pipeline.alerts.channels import builtin_channels

        return builtin_channels(file_dir=self.settings.var_dir, publisher=_Publisher(self))

    @cached_property
    def actors(self) -> list[Actor]:
        return load_actors(self.settings.entities_file)

    def config_subscriptions(self) -> list[SubscriptionSpec]:
        path = self.settings.subscriptions_file
        if not path.exists():
            return []
        return load_subscriptions(path, {a.id for a in self.actors})

    @cached_property
    def index(self) -> NearDuplicateIndex:
        from pipeline.dedup import NearDuplicateIndex

        s = self.settings
        return NearDuplicateIndex(
            self.redis,
            num_perm=s.dedup_num_perm,
            shingle_size=s.dedup_shingle_size,
            threshold=s.dedup_threshold,
            window_seconds=s.dedup_window_days * 86400,
        )

    @property
    def extractor(self) -> Extractor:
        """Built on first use, and again when actors were added, changed or removed at run
        time (dashboard, API, CLI): each call reads the small actors table, no restart."""
        from pipeline.extract import Extractor
        from pipeline.store.manage import registry

        try:
            with self.sessions() as session:
                actors = registry(session, self.actors)
        except StoreError:  # no actors table yet (a database never migrated)
            actors = list(self.actors)
        key = json.dumps([a.to_json() for a in actors], sort_keys=True)
        built = self.__dict__.get("_extractor")
        if built is None or built[0] != key:
            extractor = Extractor(actors, **self.settings.extractor_options())
            self.__dict__["_extractor"] = built = (key, extractor)
        return built[1]

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
        if "redis" in self.__dict__:
            self.redis.close()


class _Publisher:
    """Publishes through the Deps' Redis client, created on first use (after a fork)."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def publish(self, channel: str, message: Any) -> Any:
        return self.deps.redis.publish(channel, message)
