"""SMS through the HTTP provider, posted to a local server started by the test."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from sending_books import DAY, NOW, make_plan, make_settings, states, write_books

from relance.reminders.channels import DeliveryFailed, Sms
from relance.reminders.channels.sms import HttpSmsProvider, build_payload
from relance.services.run import run_day
from relance.services.send import list_actions, send_pending
from relance.settings import Settings
from relance.store.db import Store


class Provider(BaseHTTPRequestHandler):
    """Answers 201 {"id": ...}; 422 for the number +33000000000."""

    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append(
            {
                "body": body,
                "auth": self.headers["Authorization"],
                "type": self.headers["Content-Type"],
                "path": self.path,
            }
        )
        if body.get("recipient") == "+33000000000":
            self.send_response(422)
            self.end_headers()
            self.wfile.write(b'{"error": "invalid number"}')
            return
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"id": f"msg-{len(type(self).received)}"}).encode())

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def provider() -> Iterator[str]:
    Provider.received = []
    server = HTTPServer(("127.0.0.1", 0), Provider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/sms"
    finally:
        server.shutdown()
        server.server_close()


PAYLOAD = (
    '{"recipient": "{to}", "message": "{text}", "from": "{sender}", '
    '"meta": {"ref": "{reference}"}}'
)


def _settings(url: str, **kw: Any) -> Settings:
    return Settings(
        sms_url=url,
        sms_token="secret-token",
        sms_payload=PAYLOAD,
        sms_sender="VENDEUR",
        **kw,
    )


def test_payload_template_is_filled_inside_the_json() -> None:
    """A quote or a newline in the text cannot break the JSON body."""
    body = build_payload(
        PAYLOAD, {"to": "+33", "text": 'say "hi"\nnow', "sender": "S", "reference": "r"}
    )
    assert body == {
        "recipient": "+33",
        "message": 'say "hi"\nnow',
        "from": "S",
        "meta": {"ref": "r"},
    }


def test_sms_is_posted_with_token_and_payload(provider: str) -> None:
    sent = HttpSmsProvider(_settings(provider)).send(
        Sms("+33600000001", "Bonjour", "A-1")
    )
    assert sent == "msg-1"
    (request,) = Provider.received
    assert request["path"] == "/v1/sms"
    assert request["auth"] == "Bearer secret-token"
    assert request["type"] == "application/json"
    assert request["body"] == {
        "recipient": "+33600000001",
        "message": "Bonjour",
        "from": "VENDEUR",
        "meta": {"ref": "A-1"},
    }


def test_provider_refusal_is_a_failure_quoting_it(provider: str) -> None:
    with pytest.raises(
        DeliveryFailed, match='answered 422: {"error": "invalid number"}'
    ):
        HttpSmsProvider(_settings(provider)).send(Sms("+33000000000", "x", "A-2"))


def test_no_provider_configured_is_a_failure() -> None:
    with pytest.raises(DeliveryFailed, match="no SMS provider configured"):
        HttpSmsProvider(Settings()).send(Sms("+33600000001", "x", "A-3"))


@pytest.fixture
def books(store: Store) -> Store:
    return write_books(store)


def test_send_delivers_sms_steps(books: Store, tmp_path: Path, provider: str) -> None:
    """C1 (phone +33600000001) gets the French SMS with 1 250,00 € for F1; C3 has no
    phone number: failed, saying so."""
    plan = make_plan(
        books,
        {"customer": "C1", "invoices": ["F1"], "channel": "sms"},
        {"customer": "C3", "invoices": ["H1"], "channel": "sms"},
    )
    run_day(books, DAY, plan)
    settings = make_settings(
        tmp_path, sms_url=provider, sms_token="t", sms_payload=PAYLOAD
    )
    report = send_pending(books, NOW, settings)
    assert states(books) == {"C1": "sent", "C3": "failed"}
    assert report.failed[0][2] == "no recipient: the customer has no phone number"
    (request,) = Provider.received
    assert request["body"]["recipient"] == "+33600000001"
    assert request["body"]["message"] == (
        "Vendeur SAS : sauf erreur, 1 250,00 € restent dus depuis le 09/02/2024. "
        "Merci de régulariser ou de nous contacter."
    )
    sent = next(a for a in list_actions(books) if a.state == "sent")
    assert sent.message_id == "msg-1"
    assert sent.cost.amount == Decimal("0.08")
