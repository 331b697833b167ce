"""Letters as PDF: rendered from HTML with WeasyPrint, written to an outbox folder.

A letter is "sent" when its PDF is in the outbox (`letters_dir` setting), under
`<day>/<reference>.pdf`, for someone (or a mail-room service) to print and post;
registered letters go to `<day>/registered/`. The path is the letter's identity.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from relance.reminders.channels import DeliveryFailed, Letter


def render_pdf(html: str) -> bytes:
    """The PDF of an HTML page (A4 and margins come from the page's CSS)."""
    # Imported here: WeasyPrint loads system libraries, which the rest of relance
    # does not need.
    from weasyprint import HTML

    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def safe_name(reference: str) -> str:
    """A file name made of a reference: `2024-03-04/C1/x` → `2024-03-04_C1_x`."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", reference).strip("_") or "letter"


class LetterOutbox:
    """Writes letters to a folder, one per day."""

    def __init__(self, folder: str | Path, day: date) -> None:
        self.folder = Path(folder)
        self.day = day

    def post(self, letter: Letter) -> str:
        """Write the PDF; return its path."""
        target = self.folder / self.day.isoformat()
        if letter.registered:
            target = target / "registered"
        path = target / f"{safe_name(letter.reference)}.pdf"
        try:
            target.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".pdf.part")
            partial.write_bytes(letter.pdf)
            partial.replace(path)  # whole file or nothing
        except OSError as error:
            raise DeliveryFailed(
                f"cannot write the letter to {path}: {error}"
            ) from None
        return str(path)
