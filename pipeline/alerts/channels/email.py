"""The `email` channel: a multipart (text + HTML) message over SMTP.

Target: `smtp://[user[:password]@]host[:port]/?to=a@example.org,b@example.org&from=...`
  - `smtp://` plain SMTP (default port 25); add `starttls=1` to upgrade with STARTTLS
    (required: a server that does not offer it is a dead delivery, never a silent downgrade);
  - `smtps://` SMTP over TLS from the first byte (default port 465);
  - `to` (required, comma-separated, may repeat), `from` (default `newsmon@localhost`).
  User and password are percent-decoded and used for AUTH (after TLS when TLS is asked).

The subject is the payload's summary; the text and HTML parts come from `pipeline.alerts.render`.
The Message-ID is derived from the delivery id, so a retried message is recognisable.
The SMTP host is checked like a webhook's (`pipeline.feeds.netguard`): the socket goes to a
checked address, loopback only when allowed.

Outcome: accepted by at least one recipient ok; 4xx replies, timeouts and connection
errors retryable; 5xx replies, refused AUTH or a missing STARTTLS dead.
"""

from __future__ import annotations

import ipaddress
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from pipeline.alerts.channels.base import Delivery, SendResult
from pipeline.alerts.render import headline, render_html, render_text
from pipeline.errors import PermanentError
from pipeline.feeds import netguard

DEFAULT_FROM = "newsmon@localhost"
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True, slots=True)
class SmtpTarget:
    """A parsed e-mail target."""

    host: str
    port: int
    implicit_tls: bool
    starttls: bool
    sender: str
    recipients: tuple[str, ...]
    username: str | None = None
    password: str | None = None


def parse_target(target: str) -> SmtpTarget:
    """Parse an `smtp://` or `smtps://` target; PermanentError saying what is wrong."""
    parts = urlsplit(target)
    scheme = parts.scheme.lower()
    if scheme not in ("smtp", "smtps"):
        raise PermanentError(f"e-mail target must start with smtp:// or smtps://, got {target!r}")
    if not parts.hostname:
        raise PermanentError(f"e-mail target {target!r} has no SMTP host")
    query = parse_qs(parts.query)
    recipients = tuple(a.strip() for v in query.get("to", []) for a in v.split(",") if a.strip())
    if not recipients or not all("@" in r for r in recipients):
        raise PermanentError(f"e-mail target {target!r} needs ?to=name@domain")
    return SmtpTarget(
        host=parts.hostname,
        port=parts.port or (465 if scheme == "smtps" else 25),
        implicit_tls=scheme == "smtps",
        starttls=query.get("starttls", ["0"])[-1].lower() in _TRUE,
        sender=query.get("from", [DEFAULT_FROM])[-1],
        recipients=recipients,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def build_message(target: SmtpTarget, delivery: Delivery) -> EmailMessage:
    """The message: subject from the summary, a text part and an HTML alternative."""
    payload = delivery.payload
    message = EmailMessage()
    message["Subject"] = str(payload.get("summary") or headline(payload))
    message["From"] = target.sender
    message["To"] = ", ".join(target.recipients)
    message["Date"] = formatdate(localtime=False)
    domain = target.sender.rpartition("@")[2] or "newsmon"
    message["Message-ID"] = f"<{delivery.delivery_id}@{domain}>"
    message["X-Newsmon-Delivery"] = delivery.delivery_id
    message.set_content(render_text(payload))
    message.add_alternative(render_html(payload), subtype="html")
    return message


def _checked_address(host: str, port: int, allow_loopback: bool) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise ConnectionError(f"cannot resolve SMTP host {host}: {exc}") from None
    refusal = None
    for info in infos:
        address = str(info[4][0])
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        reason = netguard.is_forbidden_address(ip, allow_loopback=allow_loopback)
        if reason is None:
            return address
        refusal = refusal or netguard.UnsafeTarget(
            f"refused SMTP host {host}: it resolves to {address}, a {reason} address"
        )
    raise refusal or netguard.UnsafeTarget(f"refused SMTP host {host}: no address")


class _Guarded:
    """Connects to a checked address while keeping the host name for TLS verification."""

    def __init__(self, *args: Any, allow_loopback: bool, **kwargs: Any) -> None:
        self.allow_loopback = allow_loopback  # set first: the base __init__ connects
        super().__init__(*args, **kwargs)

    def _get_socket(self, host: str, port: int, timeout: float) -> Any:
        address = _checked_address(host, port, self.allow_loopback)
        return super()._get_socket(address, port, timeout)  # type: ignore[misc]


class _GuardedSMTP(_Guarded, smtplib.SMTP):
    pass


class _GuardedSMTPS(_Guarded, smtplib.SMTP_SSL):
    pass


def _classify_smtp(exc: smtplib.SMTPException) -> SendResult:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        detail = "; ".join(f"{r}: {c} {m!r}" for r, (c, m) in exc.recipients.items())
        if any(400 <= c < 500 for c in codes):
            return SendResult.retry(f"recipients refused: {detail}")
        return SendResult.dead(f"recipients refused: {detail}")
    if isinstance(exc, smtplib.SMTPResponseException):
        text = (
            exc.smtp_error.decode("utf-8", "replace")
            if isinstance(exc.smtp_error, bytes)
            else str(exc.smtp_error)
        )
        detail = f"SMTP {exc.smtp_code}: {text}"
        if 400 <= exc.smtp_code < 500:
            return SendResult.retry(detail, status=exc.smtp_code)
        return SendResult.dead(detail, status=exc.smtp_code)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return SendResult.dead(f"SMTP server lacks a required extension: {exc}")
    return SendResult.retry(f"SMTP failed: {exc.__class__.__name__}: {exc}")


class EmailChannel:
    """Sends alerts as e-mail through the SMTP server named in the target."""

    name = "email"

    def __init__(self, tls_context: ssl.SSLContext | None = None) -> None:
        self.tls_context = tls_context

    def validate_target(self, target: str, *, allow_loopback: bool) -> None:
        parsed = parse_target(target)
        try:
            _checked_address(parsed.host, parsed.port, allow_loopback)
        except ConnectionError as exc:
            raise PermanentError(str(exc)) from None

    def send(self, delivery: Delivery) -> SendResult:
        try:
            target = parse_target(delivery.target)
            message = build_message(target, delivery)
            refused = self._transmit(target, message, delivery)
        except PermanentError as exc:
            return SendResult.dead(str(exc))
        except smtplib.SMTPException as exc:
            return _classify_smtp(exc)
        except TimeoutError:
            return SendResult.retry(f"SMTP timed out after {delivery.timeout:g} s")
        except OSError as exc:  # refused, reset, unreachable, TLS handshake
            return SendResult.retry(f"SMTP connection failed: {exc}")
        sent = len(target.recipients) - len(refused)
        detail = f"accepted for {sent} recipient(s)"
        return SendResult.success(250, detail + (f"; refused {sorted(refused)}" if refused else ""))

    def _transmit(self, target: SmtpTarget, message: EmailMessage, delivery: Delivery) -> dict:
        context = self.tls_context or ssl.create_default_context()
        local = socket.gethostname()  # not getfqdn(): a reverse lookup can stall for seconds
        # The host name goes in whole: smtplib keeps it for TLS verification, while the
        # guarded _get_socket connects to the address it checked.
        options: dict[str, Any] = {
            "timeout": delivery.timeout,
            "local_hostname": local,
            "allow_loopback": delivery.allow_loopback,
        }
        client: smtplib.SMTP
        if target.implicit_tls:
            client = _GuardedSMTPS(target.host, target.port, context=context, **options)
        else:
            client = _GuardedSMTP(target.host, target.port, **options)
        try:
            client.ehlo()
            if target.starttls:
                client.starttls(context=context)
                client.ehlo()
            if target.username:
                client.login(target.username, target.password or "")
            return client.send_message(message)
        finally:
            _quit(client)


def _quit(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()
