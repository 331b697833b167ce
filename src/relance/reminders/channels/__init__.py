"""Channels that deliver reminders: email (SMTP), SMS (HTTP provider), letters (PDF).

Sending talks to channels through a `Transport`, so tests and other deployments can
swap any of them. A channel reports how a delivery ended by what it raises:

- returning normally: delivered; the returned string identifies the message
  (Message-ID, provider id, path of the letter);
- `DeliveryFailed`: certainly not delivered (recipient refused, provider said no);
- `ChannelUnreachable` (a `DeliveryFailed`): the server or provider could not be
  reached or refused us before any message was handed over (connection refused,
  unknown host, login refused). Every message of that channel would meet the same
  fate, so sending stops trying that channel: its actions stay planned, nothing
  having been attempted;
- `DeliveryUnknown`: may or may not have been delivered (connection lost while
  the message was being handed over). Such an action is shown to a person and
  never resent on its own.

Phone calls and hand-overs are not delivered: they become tasks (see `phone`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class DeliveryFailed(Exception):
    """The message was certainly not delivered; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ChannelUnreachable(DeliveryFailed):
    """The channel itself cannot be used (no message was handed over).

    `reason` names the server and what went wrong, `settings` the settings to
    change (e.g. `smtp_host, smtp_port`).
    """

    def __init__(self, reason: str, settings: str) -> None:
        super().__init__(reason)
        self.settings = settings


class DeliveryUnknown(Exception):
    """The message may or may not have been delivered."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Attachment:
    """A file joined to an email."""

    filename: str
    content: bytes
    mime: str = "application/pdf"


@dataclass(frozen=True)
class Email:
    """One email to send; `message_id` is chosen before sending, for the record."""

    to: tuple[str, ...]
    subject: str
    text: str
    html: str
    sender: str
    reply_to: str
    message_id: str
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Sms:
    """One SMS; `reference` is our action's reference, for the provider's logs."""

    to: str
    text: str
    reference: str


@dataclass(frozen=True)
class Letter:
    """A letter as PDF, to be printed and posted (registered or not)."""

    reference: str
    pdf: bytes
    registered: bool


class Transport(Protocol):
    """What sending needs from the outside world."""

    def send_email(self, email: Email) -> str:
        """Deliver an email; return its Message-ID."""
        ...

    def send_sms(self, sms: Sms) -> str:
        """Deliver an SMS; return the provider's id of it."""
        ...

    def post_letter(self, letter: Letter) -> str:
        """Hand a letter over for posting; return where it is."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...
