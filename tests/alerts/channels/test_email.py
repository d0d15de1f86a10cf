"""The e-mail channel against a real aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

import email
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from email.message import Message
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from notify_facts import facts, sub

from pipeline.alerts.channels import Delivery, get_channel
from pipeline.alerts.channels.email import EmailChannel, parse_target
from pipeline.alerts.match import match_all
from pipeline.alerts.render import alert_payload
from pipeline.errors import PermanentError
from pipeline.models import Rule

SUB = sub(Rule(claim_subject="north-korea"), name="nk", channel="email")
ARTICLE = {
    "id": 1,
    "title": "Rockets for <Wagner> & co",
    "url": "https://example.org/a",
    "source": "example.org",
}


class Inbox:
    """An aiosmtpd handler that keeps messages and refuses some recipients on purpose."""

    def __init__(self) -> None:
        self.messages: list[tuple[Envelope, Message]] = []
        self.arrived = threading.Condition()

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address.startswith("gone@"):
            return "550 5.1.1 no such user"
        if address.startswith("busy@"):
            return "451 4.3.0 mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        with self.arrived:
            self.messages.append((envelope, message))
            self.arrived.notify_all()
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def smtp_server() -> Iterator[tuple[Controller, Inbox]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def payload() -> dict:
    [match] = match_all([SUB], facts())
    return alert_payload(
        alert_id=3,
        subscription=SUB,
        story={"id": 10},
        article=ARTICLE,
        outlets=[],
        match=match,
        kind="alert",
        base_url=None,
    )


def send(target: str, *, allow_loopback: bool = True):
    delivery = Delivery(
        delivery_id="msg_mail_1",
        subscription_id=1,
        target=target,
        payload=payload(),
        timeout=5.0,
        allow_loopback=allow_loopback,
    )
    return get_channel("email").send(delivery)


def target(server: Controller, to: str, extra: str = "") -> str:
    return f"smtp://{server.hostname}:{server.port}/?to={to}&from=alerts@newsmon.test{extra}"


def test_multipart_text_and_html_message_arrives(smtp_server) -> None:
    server, inbox = smtp_server
    result = send(target(server, "analyst@example.org,boss@example.org"))
    assert result.ok, result
    envelope, message = inbox.messages[-1]
    assert envelope.rcpt_tos == ["analyst@example.org", "boss@example.org"]
    assert envelope.mail_from == "alerts@newsmon.test"
    assert message["Message-ID"] == "<msg_mail_1@newsmon.test>"
    assert "Rockets for <Wagner> & co" in message["Subject"]
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "North Korea deliver Wagner Group (said John Kirby)" in text
    assert "Rockets for &lt;Wagner&gt; &amp; co" in html
    assert "<Wagner>" not in html


@pytest.mark.parametrize(
    ("to", "ok", "retryable", "detail"),
    [
        ("gone@example.org", False, False, "550"),
        ("busy@example.org", False, True, "451"),
        ("gone@example.org,analyst@example.org", True, False, "refused ['gone@example.org']"),
    ],
)
def test_recipient_refusals(smtp_server, to: str, ok: bool, retryable: bool, detail: str) -> None:
    server, _ = smtp_server
    result = send(target(server, to))
    assert (result.ok, result.retryable) == (ok, retryable)
    assert detail in result.detail


def test_missing_starttls_is_dead_not_a_downgrade(smtp_server) -> None:
    server, inbox = smtp_server
    before = len(inbox.messages)
    result = send(target(server, "analyst@example.org", "&starttls=1"))
    assert not result.ok and not result.retryable
    assert "STARTTLS" in result.detail
    assert len(inbox.messages) == before


def test_connection_refused_is_retryable() -> None:
    result = send(f"smtp://127.0.0.1:{free_port()}/?to=a@example.org")
    assert not result.ok and result.retryable


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("mailto:a@example.org", "smtp://"),
        ("smtp://127.0.0.1:25/", "to=name@domain"),
        ("smtp://10.0.0.1:25/?to=a@example.org", "private"),
    ],
)
def test_bad_targets_are_refused(bad: str, reason: str) -> None:
    with pytest.raises(PermanentError, match=reason):
        get_channel("email").validate_target(bad, allow_loopback=True)


def test_loopback_smtp_refused_unless_allowed(smtp_server) -> None:
    server, _ = smtp_server
    result = send(target(server, "a@example.org"), allow_loopback=False)
    assert not result.ok and not result.retryable and "loopback" in result.detail


def test_parse_target_defaults_and_credentials() -> None:
    parsed = parse_target("smtps://bot%40x.org:p%2Fw@mail.example.org/?to=a@b.org&to=c@d.org")
    assert (parsed.port, parsed.implicit_tls, parsed.sender) == (465, True, "newsmon@localhost")
    assert (parsed.username, parsed.password) == ("bot@x.org", "p/w")
    assert parsed.recipients == ("a@b.org", "c@d.org")


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory) -> tuple[str, str]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = str(folder / "cert.pem"), str(folder / "key.pem")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            key,
            "-out",
            cert,
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


@pytest.fixture(scope="module")
def starttls_server(tls_files) -> Iterator[tuple[Controller, Inbox]]:
    cert, key = tls_files
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=server_context,
        require_starttls=True,
    )
    controller.start()
    yield controller, inbox
    controller.stop()


def test_starttls_delivers_with_a_verified_certificate(starttls_server, tls_files) -> None:
    server, inbox = starttls_server
    channel = EmailChannel(tls_context=ssl.create_default_context(cafile=tls_files[0]))
    delivery = Delivery(
        "msg_tls",
        1,
        target(server, "analyst@example.org", "&starttls=1"),
        payload(),
        timeout=5.0,
        allow_loopback=True,
    )
    result = channel.send(delivery)
    assert result.ok, result
    assert inbox.messages[-1][1]["Message-ID"] == "<msg_tls@newsmon.test>"


def test_untrusted_certificate_is_not_accepted(starttls_server) -> None:
    server, inbox = starttls_server
    before = len(inbox.messages)
    result = send(target(server, "analyst@example.org", "&starttls=1"))
    assert not result.ok and "CERTIFICATE_VERIFY_FAILED" in result.detail
    assert len(inbox.messages) == before


def test_plain_smtp_to_a_starttls_only_server_is_dead(starttls_server) -> None:
    server, _ = starttls_server
    result = send(target(server, "analyst@example.org"))
    assert not result.ok and not result.retryable
    assert "530" in result.detail
