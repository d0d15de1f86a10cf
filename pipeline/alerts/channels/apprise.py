"""The `apprise` channel: any Apprise URL (Slack, Telegram, Matrix, ntfy, json://...).

The target is an Apprise URL (https://github.com/caronc/apprise/wiki). The message title is
the payload's summary and the body its plain-text rendering.

Safety: for services whose URL names the server (`{host}` in the service's URL templates:
json://, ntfy://host, matrix://, mailto://, gotify://...), the host must not resolve to a
loopback (unless allowed), private, link-local or metadata address. Apprise opens its own
connections (requests, smtplib), so the check is made where they resolve names: while
Apprise sends, every `socket.getaddrinfo` answer in the sending thread is filtered by
`pipeline.feeds.netguard`, and the library connects to exactly the addresses that passed. A DNS
answer that changes between the up-front check and the connection (DNS rebinding) is
therefore refused too, and so is a redirect to an internal address. Services with a fixed
public endpoint (slack://tokens, tgram://bot-token) are guarded the same way while sending.

Outcome: Apprise reports only success or failure; the failure text comes from Apprise's log.
A 4xx status in it (other than 408, 425, 429) is dead, anything else retryable.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import re
import socket
import threading
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

from pipeline.alerts.channels.base import RETRY_STATUSES, Delivery, SendResult
from pipeline.alerts.render import headline, render_text
from pipeline.errors import PermanentError
from pipeline.feeds import netguard

_STATUS = re.compile(r"\b([45]\d\d)\b")


def _apprise() -> ModuleType:
    """The apprise package, imported on first send: loading its plugins costs about a
    quarter second, paid otherwise by every process that only builds the channel registry."""
    import apprise

    return apprise


def _plugin(target: str) -> Any:
    plugin = _apprise().Apprise.instantiate(target, suppress_exceptions=True)
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


class _ResolveGuard(threading.local):
    """Per thread: whether names are being guarded, and the first refusal seen."""

    allow_loopback: bool | None = None
    refusal: str | None = None


_GUARD = _ResolveGuard()
_PATCH_LOCK = threading.Lock()
_patch_depth = 0
_saved_getaddrinfo: Callable[..., Any] = socket.getaddrinfo


def _guarded_getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
    """socket.getaddrinfo that, in a thread inside `_guarded_names`, returns only permitted
    addresses; in every other thread it answers exactly as the saved resolver does."""
    results = _saved_getaddrinfo(host, port, *args, **kwargs)
    allow = _GUARD.allow_loopback
    if allow is None:
        return results
    kept = []
    for info in results:
        address = str(info[4][0])
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        reason = netguard.is_forbidden_address(ip, allow_loopback=allow)
        if reason is None:
            kept.append(info)
        elif _GUARD.refusal is None:
            _GUARD.refusal = f"refused Apprise host {host}: it resolves to {ip}, a {reason} address"
    if not kept:
        # gaierror is what every client library handles: Apprise reports a failed send.
        raise socket.gaierror(socket.EAI_NONAME, _GUARD.refusal or f"{host}: no address")
    return kept


@contextlib.contextmanager
def _patched_resolver() -> Iterator[None]:
    """socket.getaddrinfo replaced only while at least one guarded send runs, then restored:
    Apprise's libraries resolve through the socket module and offer no resolver hook."""
    global _patch_depth, _saved_getaddrinfo
    with _PATCH_LOCK:
        if _patch_depth == 0:
            _saved_getaddrinfo = socket.getaddrinfo
            socket.getaddrinfo = _guarded_getaddrinfo
        _patch_depth += 1
    try:
        yield
    finally:
        with _PATCH_LOCK:
            _patch_depth -= 1
            if _patch_depth == 0:
                socket.getaddrinfo = _saved_getaddrinfo


@contextlib.contextmanager
def _guarded_names(allow_loopback: bool) -> Iterator[_ResolveGuard]:
    """Within the block, this thread resolves names only to addresses netguard permits."""
    with _patched_resolver():
        _GUARD.allow_loopback, _GUARD.refusal = allow_loopback, None
        try:
            yield _GUARD
        finally:
            _GUARD.allow_loopback = None


def _classify_log(log: str) -> SendResult:
    lines = [line for line in log.splitlines() if line.strip()]
    detail = lines[-1].split(" - ", 2)[-1] if lines else "Apprise reported a failure"
    statuses = [int(s) for s in _STATUS.findall(log)]
    status = statuses[-1] if statuses else None
    if status is not None and status < 500 and status not in RETRY_STATUSES:
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
        apprise = _apprise()
        with (
            apprise.LogCapture(level=logging.WARNING) as log,
            _guarded_names(delivery.allow_loopback) as guard,
        ):
            ok = plugin.notify(
                body=render_text(payload),
                title=str(payload.get("summary") or headline(payload)),
                body_format=apprise.NotifyFormat.TEXT,
            )
        if ok:
            return SendResult.success(detail=f"sent through {plugin.service_name}")
        if guard.refusal:
            return SendResult.dead(guard.refusal)
        return _classify_log(log.getvalue())
