"""Email through SMTP: recipients, headers, and delivery with honest outcomes.

Recipients, in order of preference: the billing contacts of the invoices in the
message (`documents.billing_email`, each distinct one), else the customer's billing
contact, else the customer's address. Reply-To is the customer's collector when
it is an email address, else the `smtp_reply_to` setting, else the sender.

Outcomes (see `relance.reminders.channels`): a server that cannot be reached or
refuses us (connection, STARTTLS, login) is `ChannelUnreachable`, which stops the
emails of the send; a refused recipient or message is a failure of that message; a connection lost while handing the message over is an
unknown outcome. A recipient refused at SMTP time is how a bounce shows here;
bounces that come back later by mail are not read.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterable
from email.message import EmailMessage
from email.utils import make_msgid

from relance.reminders.channels import (
    ChannelUnreachable,
    DeliveryFailed,
    DeliveryUnknown,
    Email,
)
from relance.settings import Settings


def _usable(address: str | None) -> str | None:
    if address is None:
        return None
    cleaned = address.strip()
    return cleaned if "@" in cleaned else None


def resolve_recipients(
    invoice_contacts: Iterable[str | None],
    customer_billing: str | None,
    customer_email: str | None,
) -> tuple[str, ...]:
    """Who receives the message; empty when nobody can (see the module docstring)."""
    found: list[str] = []
    for contact in invoice_contacts:
        usable = _usable(contact)
        if usable and usable.lower() not in {f.lower() for f in found}:
            found.append(usable)
    if found:
        return tuple(found)
    for fallback in (customer_billing, customer_email):
        usable = _usable(fallback)
        if usable:
            return (usable,)
    return ()


def reply_to(collector: str | None, settings: Settings) -> str:
    """The Reply-To address: the collector's, else the configured one, else From."""
    return _usable(collector) or _usable(settings.smtp_reply_to) or settings.smtp_from


def new_message_id(settings: Settings) -> str:
    """A fresh Message-ID in the sender's domain, chosen before sending."""
    domain = settings.smtp_from.rpartition("@")[2] or "relance.invalid"
    return make_msgid(idstring="relance", domain=domain)


def build_message(email: Email) -> EmailMessage:
    """The MIME message: text and HTML alternatives, then the attachments."""
    message = EmailMessage()
    message["From"] = email.sender
    message["To"] = ", ".join(email.to)
    message["Reply-To"] = email.reply_to
    message["Subject"] = email.subject
    message["Message-ID"] = email.message_id
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    for attachment in email.attachments:
        main, _, sub = attachment.mime.partition("/")
        message.add_attachment(
            attachment.content, maintype=main, subtype=sub, filename=attachment.filename
        )
    return message


class SmtpSender:
    """Sends emails over one SMTP connection, opened when first needed."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        where = f"SMTP server {s.smtp_host}:{s.smtp_port}"
        try:
            if s.smtp_ssl:
                context = ssl.create_default_context()
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.smtp_host, s.smtp_port, timeout=s.smtp_timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout)
                if s.smtp_starttls:
                    smtp.starttls(context=ssl.create_default_context())
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password)
        except smtplib.SMTPAuthenticationError as error:
            raise ChannelUnreachable(
                f"{where} refused the login of {s.smtp_user!r}: {_said(error)}",
                "smtp_user, smtp_password",
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            # Connection refused, unknown host, timeout, no STARTTLS: no message
            # can go out this way, whichever it is.
            raise ChannelUnreachable(
                f"{where} unreachable: {error or type(error).__name__}",
                "smtp_host, smtp_port, smtp_starttls, smtp_ssl",
            ) from None
        return smtp

    def _connection(self) -> smtplib.SMTP:
        # An idle connection may have been dropped by the server: check it first,
        # so that a drop is never mistaken for a loss in the middle of a message.
        if self._smtp is not None:
            try:
                self._smtp.noop()
            except (smtplib.SMTPException, OSError):
                self._smtp = None
        if self._smtp is None:
            self._smtp = self._connect()
        return self._smtp

    def send(self, email: Email) -> str:
        """Deliver; return the Message-ID, or raise DeliveryFailed/DeliveryUnknown."""
        smtp = self._connection()
        message = build_message(email)
        try:
            refused = smtp.send_message(
                message, from_addr=email.sender, to_addrs=email.to
            )
        except smtplib.SMTPRecipientsRefused as error:
            details = "; ".join(
                f"{addr}: {code} {_text(msg)}"
                for addr, (code, msg) in error.recipients.items()
            )
            raise DeliveryFailed(f"recipient refused: {details}") from None
        except smtplib.SMTPSenderRefused as error:
            raise DeliveryFailed(
                f"sender {email.sender} refused: {_said(error)}"
            ) from None
        except smtplib.SMTPDataError as error:
            raise DeliveryFailed(f"message refused: {_said(error)}") from None
        except (smtplib.SMTPException, OSError) as error:
            self._drop()
            raise DeliveryUnknown(f"connection lost while sending: {error}") from None
        if refused:
            # Delivered to some recipients only: sent, and the refusals are kept.
            details = "; ".join(f"{a}: {c} {_text(m)}" for a, (c, m) in refused.items())
            return f"{email.message_id} (refused: {details})"
        return email.message_id

    def _drop(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            finally:
                self._smtp = None

    def close(self) -> None:
        """Say goodbye to the server, if connected."""
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self._smtp = None


def _text(raw: bytes | str) -> str:
    return raw.decode(errors="replace") if isinstance(raw, bytes) else raw


def _said(error: smtplib.SMTPResponseException) -> str:
    return f"{error.smtp_code} {_text(error.smtp_error)}"
