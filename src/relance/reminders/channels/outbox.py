"""An outbox folder: reminders rendered as they would be sent, and not sent.

`relance send --outbox DIR` writes each planned action to DIR under a name made of
its reference (`2024-03-15/C1/standard/email_1` → `2024-03-15_C1_standard_email_1`):

- an email as `<name>.eml`, the exact MIME message the SMTP server would receive
  (text and HTML parts, the PDF attached), to open in any mail program;
- a letter as `<name>.pdf` (a registered one as `<name>.registered.pdf`);
- an SMS as `<name>.json`: the number, the text, and the body the provider would
  receive (from the `sms_payload` setting);
- a call or hand-over as `<name>.txt`: what the collector would read.

Files of an earlier preview in the folder are overwritten, others left alone.
"""

from __future__ import annotations

import json
from pathlib import Path

from relance.reminders.channels import DeliveryFailed, Email, Letter, Sms
from relance.reminders.channels.email import build_message
from relance.reminders.channels.letter import safe_name
from relance.reminders.channels.sms import build_payload
from relance.settings import Settings


class Outbox:
    """Writes rendered reminders to a folder instead of delivering them."""

    def __init__(self, folder: str | Path, settings: Settings) -> None:
        self.folder = Path(folder)
        self.settings = settings

    def _path(self, reference: str, suffix: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder / f"{safe_name(reference)}{suffix}"

    def write(self, reference: str, message: Email | Sms | Letter) -> str:
        """Write the message of the action `reference`; return the file's path."""
        if isinstance(message, Email):
            path = self._path(reference, ".eml")
            path.write_bytes(bytes(build_message(message)))
        elif isinstance(message, Sms):
            path = self._path(reference, ".json")
            path.write_text(self._sms_json(message), encoding="utf-8")
        else:
            suffix = ".registered.pdf" if message.registered else ".pdf"
            path = self._path(reference, suffix)
            path.write_bytes(message.pdf)
        return str(path)

    def write_task(self, reference: str, text: str) -> str:
        """Write what a collector would read for a call or hand-over."""
        path = self._path(reference, ".txt")
        path.write_text(text + "\n", encoding="utf-8")
        return str(path)

    def _sms_json(self, sms: Sms) -> str:
        s = self.settings
        values = {
            "to": sms.to,
            "text": sms.text,
            "sender": s.sms_sender,
            "reference": sms.reference,
        }
        try:
            body = build_payload(s.sms_payload, values)
        except DeliveryFailed as error:
            body = {"error": error.reason}
        shown = {**values, "provider_url": s.sms_url, "body": body}
        return json.dumps(shown, ensure_ascii=False, indent=2) + "\n"
