"""Dashboard sessions: signed cookies, the login token of the local user, CSRF tokens.

The secret signs everything: `Settings.dashboard_secret`, else a random one created once in
`<var_dir>/dashboard.secret` (mode 0600), so the API process and `newsmon run` agree on it.
A session cookie is `<base64 JSON>.<HMAC-SHA256>`; it names the owner and carries the CSRF
token every form must send back.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from pipeline.settings import Settings

COOKIE = "newsmon_session"
SESSION_SECONDS = 14 * 86400
PREFIX = "/ui"


def secret_of(settings: Settings) -> bytes:
    """The signing secret (created on first use when not configured)."""
    if settings.dashboard_secret:
        return settings.dashboard_secret.encode()
    path = Path(settings.var_dir) / "dashboard.secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first; read theirs
        else:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def _mac(secret: bytes, message: str) -> str:
    return hmac.new(secret, message.encode(), hashlib.sha256).hexdigest()


def login_token(settings: Settings, owner: str | None = None) -> str:
    """The token in the printed dashboard URL: it logs in as `owner` (the local user)."""
    return _mac(secret_of(settings), f"login:{owner or settings.dashboard_owner}")


def is_login_token(settings: Settings, token: str) -> bool:
    return hmac.compare_digest(login_token(settings), token)


def dashboard_url(settings: Settings) -> str:
    """`http://host:port/ui/login?token=...`: opens the home page logged in as the local user.

    `newsmon run` prints it as `dashboard: <URL>`.
    """
    base = (settings.api_public_url or f"http://{settings.api_host}:{settings.api_port}").rstrip(
        "/"
    )
    return f"{base}{PREFIX}/login?token={quote(login_token(settings))}"


@dataclass(frozen=True, slots=True)
class UiSession:
    owner: str
    csrf: str
    issued: float


def encode_session(settings: Settings, owner: str) -> str:
    payload = {"o": owner, "c": secrets.token_urlsafe(24), "t": time.time()}
    raw = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()
    return f"{raw}.{_mac(secret_of(settings), 'session:' + raw)}"


def decode_session(settings: Settings, cookie: str | None) -> UiSession | None:
    """The session in a cookie value, or None when missing, forged or expired."""
    if not cookie or "." not in cookie:
        return None
    raw, mac = cookie.rsplit(".", 1)
    if not hmac.compare_digest(_mac(secret_of(settings), "session:" + raw), mac):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(raw.encode()))
        session = UiSession(str(data["o"]), str(data["c"]), float(data["t"]))
    except (ValueError, KeyError, TypeError):
        return None
    if time.time() - session.issued > SESSION_SECONDS:
        return None
    return session
