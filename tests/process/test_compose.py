"""docker-compose.yml without Docker: every service's command, run locally, becomes healthy."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import redis
import yaml

from tests.conftest import REDIS_BASE, ROOT
from tests.process.conftest import Background, free_port

pytestmark = pytest.mark.slow

COMPOSE = ROOT / "docker-compose.yml"
COMPOSE_REDIS_DB = 15  # ours alone; flushed before and after
NEWSMON_SERVICES = {"migrate", "api", "worker-cpu", "worker-io", "poller", "scheduler", "flower"}


def services() -> dict[str, dict[str, Any]]:
    return yaml.safe_load(COMPOSE.read_text())["services"]


def local_argv(argv: list[str], ports: dict[str, str]) -> list[str]:
    """A container command as a local one: our interpreter, free ports, loopback only."""
    head = {
        "newsmon": [sys.executable, "-m", "workers.cli.main"],
        "celery": [sys.executable, "-m", "celery"],
        "python": [sys.executable],
    }
    out = [*head.get(argv[0], [argv[0]]), *argv[1:]]
    for old, new in {**ports, "0.0.0.0": "127.0.0.1"}.items():
        out = [arg.replace(old, new) for arg in out]
    return out


def env_of(service: dict[str, Any], overrides: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    for name in service.get("env_file", []):
        for line in (COMPOSE.parent / name).read_text().splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                key, _, value = line.partition("=")
                env[key.strip()] = value.strip()
    env.update({k: interpolate(str(v)) for k, v in (service.get("environment") or {}).items()})
    env.update(overrides)
    return env


# What an operator puts in the .env file beside docker-compose.yml.
DOT_ENV = {"POSTGRES_PASSWORD": "s3cret-test", "FLOWER_BASIC_AUTH": "ops:s3cret-test"}


def interpolate(value: str) -> str:
    """${NAME}, ${NAME:-default} and ${NAME:?error} as compose expands them from .env."""

    def one(match: re.Match[str]) -> str:
        name, op, arg = match.group(1), match.group(2), match.group(3)
        if name in DOT_ENV:
            return DOT_ENV[name]
        if op == ":?":
            raise AssertionError(f"compose would refuse: {arg}")
        return arg or ""

    return re.sub(r"\$\{(\w+)(?:(:[-?])([^}]*))?\}", one, value)


def healthcheck(service: dict[str, Any], ports: dict[str, str]) -> list[str] | None:
    test = (service.get("healthcheck") or {}).get("test")
    if not test:
        return None
    assert test[0] == "CMD", f"healthcheck must be exec form: {test}"
    return local_argv(test[1:], ports)


def wait_healthy(name: str, argv: list[str], env: dict[str, str], proc: Background | None) -> None:
    deadline = time.monotonic() + 120
    while True:
        check = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
        if check.returncode == 0:
            return
        if proc is not None and proc.process.poll() is not None:
            pytest.fail(f"{name} exited {proc.process.returncode}:\n{proc.text()[-3000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"{name} never healthy: {check.stdout}{check.stderr}")
        time.sleep(0.5)  # between health probes, as compose's `interval` does


def test_compose_file_shape() -> None:
    spec = yaml.safe_load(COMPOSE.read_text())
    assert NEWSMON_SERVICES | {"redis", "postgres"} <= set(spec["services"])
    assert "--appendonly" in spec["services"]["redis"]["command"]
    for name, service in spec["services"].items():
        assert service.get("healthcheck") or name == "migrate", f"{name} has no health check"
    assert (COMPOSE.parent / "workers" / "Dockerfile").exists()
    assert {"redis-data", "postgres-data"} <= set(spec["volumes"])


def test_compose_has_no_default_secrets_and_flower_needs_a_login() -> None:
    text = COMPOSE.read_text()
    spec = yaml.safe_load(text)
    assert "POSTGRES_PASSWORD:-" not in text, "a default database password"
    assert (
        "${POSTGRES_PASSWORD:?" in spec["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"]
    )
    flower = spec["services"]["flower"]
    assert flower["environment"]["FLOWER_BASIC_AUTH"].startswith("${FLOWER_BASIC_AUTH:?")
    assert all(str(p).startswith("127.0.0.1:") for p in flower["ports"]), flower["ports"]
    api_check = spec["services"]["api"]["healthcheck"]
    assert int(str(api_check["timeout"]).rstrip("s")) >= 10


def test_image_is_built_from_the_lock_without_build_tools_or_clutter() -> None:
    dockerfile = (ROOT / "workers" / "Dockerfile").read_text()
    stages = dockerfile.split("\nFROM ")[1:]
    assert len(stages) == 2, "a build stage and a runtime stage"
    assert "requirements.lock" in stages[0] and "build-essential" in stages[0]
    assert "build-essential" not in stages[1] and "apt-get" not in stages[1]
    assert "--no-index" in stages[1]  # only the wheels built from the lock
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "var", "tests"} <= set(ignored)


@pytest.fixture
def compose_redis() -> str:
    url = f"{REDIS_BASE}/{COMPOSE_REDIS_DB}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()


def test_every_compose_service_runs_and_becomes_healthy(
    tmp_path: Path, compose_redis: str, pg_url: str
) -> None:
    all_services = services()
    for name in ("redis", "postgres"):  # stood in for by the machine's servers
        argv = healthcheck(all_services[name], {})
        if argv and shutil.which(argv[0]):
            argv += ["-h", "127.0.0.1"]
            assert subprocess.run(argv, capture_output=True, timeout=30).returncode == 0, argv
    (tmp_path / "feeds.yaml").write_text("feeds: []\n")  # no internet feeds in tests
    overrides = {
        "NEWSMON_REDIS_URL": compose_redis,
        "NEWSMON_DATABASE_URL": pg_url,
        "NEWSMON_VAR_DIR": str(tmp_path / "var"),
        "NEWSMON_FEEDS_FILE": str(tmp_path / "feeds.yaml"),
    }
    ports: dict[str, str] = {}
    for service in all_services.values():
        for mapping in service.get("ports", []):
            ports[str(mapping).rsplit(":", 1)[-1]] = str(free_port())
    migrate = all_services["migrate"]
    done = subprocess.run(
        local_argv(migrate["command"], ports), env=env_of(migrate, overrides), cwd=ROOT,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    running: dict[str, Background] = {}
    try:
        for name in sorted(NEWSMON_SERVICES - {"migrate"}):
            service = all_services[name]
            env = env_of(service, overrides)
            argv = local_argv(service["command"], ports)
            running[name] = Background(argv, env, tmp_path / f"{name}.log")
        for name, proc in running.items():
            check = healthcheck(all_services[name], ports)
            assert check, f"{name} has no health check"
            wait_healthy(name, check, env_of(all_services[name], overrides), proc)
    finally:
        for proc in running.values():
            proc.stop()
    for name, proc in running.items():
        assert proc.process.returncode is not None, f"{name} did not stop"
