"""The `apprise` channel: any Apprise URL (Slack, Telegram, Matrix, ntfy, json://...).

The target is an Apprise URL (https://github.com/caronc/apprise/wiki). The message title is
the payload's summary and the body its plain-text rendering.

Safety: for services whose URL names the server (`{host}` in the service's URL templates:
json://, ntfy://host, matrix://, mailto://, gotify://...), the host must not resolve to a
loopback (unless allowed), private, link-local or metadata address. Apprise opens its own
connections (requests), so the name is re-checked just before each send, but a DNS answer
that changes between check and connect is not caught here, unlike the webhook channel.
Services with a fixed public endpoint (slack://tokens, tgram://bot-token) carry tokens where
the host would be, and are not resolved.

Outcome: Apprise reports only success or failure; the failure text comes from Apprise's log.
A 4xx status in it (other than 408, 425, 429) is dead, anything else retryable.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
from typing import Any

import apprise

from pipeline import netguard
from pipeline.errors import PermanentError
from pipeline.notify.base import Delivery, SendResult
from pipeline.render import headline, render_text

_STATUS = re.compile(r"\b([45]\d\d)\b")
_RETRY_STATUSES = frozenset({408, 425, 429})


def _plugin(target: str) -> Any:
    plugin = apprise.Apprise.instantiate(target, suppress_exceptions=True)
    if plugin is None:
        raise PermanentError(f"not a valid Apprise URL: {target.split('://', 1)[0]}://...")
    return plugin


def _named_host(plugin: Any) -> str | None:
    """The server host a URL names, or None for fixed-endpoint services."""
    templates = getattr(plugin, "templates", ()) or ()
    host = getattr(plugin, "host", None)
    if host and any("{host}" in t for t in templates):
        return str(host)
    return None


def check_host(host: str, *, allow_loopback: bool) -> None:
    """UnsafeTarget when `host` is (or resolves to) a forbidden address."""
    try:
        addresses = [ipaddress.ip_address(host.strip("[]").split("%", 1)[0])]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except OSError:
            return  # nothing to connect to; Apprise's own send will fail and say so
        addresses = [ipaddress.ip_address(str(i[4][0]).split("%", 1)[0]) for i in infos]
    for ip in addresses:
        reason = netguard.is_forbidden_address(ip, allow_loopback=allow_loopback)
        if reason:
            shown = "" if str(ip) == host.strip("[]") else f" (resolves to {ip})"
            raise netguard.UnsafeTarget(f"refused Apprise host {host}{shown}: a {reason} address")


def _classify_log(log: str) -> SendResult:
    lines = [line for line in log.splitlines() if line.strip()]
    detail = lines[-1].split(" - ", 2)[-1] if lines else "Apprise reported a failure"
    statuses = [int(s) for s in _STATUS.findall(log)]
    status = statuses[-1] if statuses else None
    if status is not None and status < 500 and status not in _RETRY_STATUSES:
        return SendResult.dead(detail, status=status)
    return SendResult.retry(detail, status=status)


class AppriseChannel:
    """Sends the text rendering of a payload through one Apprise URL."""

    name = "apprise"

    def validate_target(self, target: str, *, allow_loopback: bool) -> None:
        host = _named_host(_plugin(target))
        if host:
            check_host(host, allow_loopback=allow_loopback)

    def send(self, delivery: Delivery) -> SendResult:
        try:
            plugin = _plugin(delivery.target)
            host = _named_host(plugin)
            if host:
                check_host(host, allow_loopback=delivery.allow_loopback)
        except PermanentError as exc:
            return SendResult.dead(str(exc))
        plugin.socket_connect_timeout = delivery.timeout
        plugin.socket_read_timeout = delivery.timeout
        payload = delivery.payload
        with apprise.LogCapture(level=logging.WARNING) as log:
            ok = plugin.notify(
                body=render_text(payload),
                title=str(payload.get("summary") or headline(payload)),
                body_format=apprise.NotifyFormat.TEXT,
            )
        if ok:
            return SendResult.success(detail=f"sent through {plugin.service_name}")
        return _classify_log(log.getvalue())
