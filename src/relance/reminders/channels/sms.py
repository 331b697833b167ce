"""SMS through a provider: an interface, and one HTTP implementation.

`HttpSmsProvider` POSTs a JSON body built from the `sms_payload` setting, a JSON
template whose string values may contain `{to}`, `{text}`, `{sender}` and
`{reference}`: they are replaced inside the parsed JSON, so a quote or a newline in
the text can never break the body. The token goes in `Authorization: Bearer`.
A 2xx answer is a delivery (its JSON `id` or `message_id`, when present, is kept);
any other status is a failure quoting the provider's answer; a provider that
cannot be reached (or no `sms_url`) stops the SMS of the send (`ChannelUnreachable`);
a connection lost after the request was sent is an unknown outcome.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any, Protocol

from relance.reminders.channels import (
    ChannelUnreachable,
    DeliveryFailed,
    DeliveryUnknown,
    Sms,
)
from relance.settings import Settings


class SmsProvider(Protocol):
    """Anything that can deliver an SMS and name it."""

    def send(self, sms: Sms) -> str:
        """Deliver; return the provider's id, or raise DeliveryFailed/Unknown."""
        ...


def build_payload(template: str, values: dict[str, str]) -> Any:
    """The JSON body: the template with placeholders replaced in its strings."""

    def fill(node: Any) -> Any:
        if isinstance(node, str):
            for key, value in values.items():
                node = node.replace("{" + key + "}", value)
            return node
        if isinstance(node, list):
            return [fill(item) for item in node]
        if isinstance(node, dict):
            return {key: fill(item) for key, item in node.items()}
        return node

    try:
        parsed = json.loads(template)
    except json.JSONDecodeError as error:
        raise DeliveryFailed(f"sms_payload setting is not JSON: {error}") from None
    return fill(parsed)


class HttpSmsProvider:
    """An SMS provider reached by an HTTP POST of JSON (see the module docstring)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def send(self, sms: Sms) -> str:
        s = self.settings
        if not s.sms_url:
            raise ChannelUnreachable("no SMS provider configured", "sms_url")
        body = build_payload(
            s.sms_payload,
            {
                "to": sms.to,
                "text": sms.text,
                "sender": s.sms_sender,
                "reference": sms.reference,
            },
        )
        request = urllib.request.Request(
            s.sms_url,
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        if s.sms_token:
            request.add_header("Authorization", f"Bearer {s.sms_token}")
        try:
            with urllib.request.urlopen(request, timeout=s.sms_timeout) as response:
                answer = response.read()
        except urllib.error.HTTPError as error:
            said = error.read()[:200].decode(errors="replace")
            raise DeliveryFailed(
                f"SMS provider answered {error.code}: {said}"
            ) from None
        except urllib.error.URLError as error:
            raise ChannelUnreachable(
                f"SMS provider {s.sms_url} unreachable: {error.reason}", "sms_url"
            ) from None
        except (TimeoutError, ConnectionError) as error:
            raise DeliveryUnknown(f"no answer from the SMS provider: {error}") from None
        return _message_id(answer, sms.reference)


def _message_id(answer: bytes, fallback: str) -> str:
    try:
        data = json.loads(answer or b"null")
    except json.JSONDecodeError:
        return fallback
    if isinstance(data, dict):
        for key in ("id", "message_id", "messageId"):
            if data.get(key) is not None:
                return str(data[key])
    return fallback
