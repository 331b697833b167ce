"""Reading a rendered report back with the standard library's HTML parser.

`Page` gathers what the tests check: per currency section, the headline cards
(label, value, note by `data-figure` key) and the tables (rows of cell texts by
the table's class); over the whole page, every tag and attribute, so the tests
can show that nothing is fetched from elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Section:
    currency: str
    cards: dict[str, dict[str, str]] = field(default_factory=dict)
    tables: dict[str, list[list[str]]] = field(default_factory=dict)
    text: list[str] = field(default_factory=list)
    svgs: int = 0


class Page(HTMLParser):
    """Parse a report; `sections`, `tags`, `attributes`, `text` after `feed`."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: dict[str, Section] = {}
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self.title = ""
        self._section: Section | None = None
        self._depth = 0  # depth of <section> tags inside the currency section
        self._card: str | None = None
        self._card_part: str | None = None
        self._table: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._in_title = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            self.attributes.append((tag, name, value))
        if tag == "title" and not self.title:
            self._in_title = True
        if tag == "section":
            if "data-currency" in values:
                self._section = Section(values["data-currency"])
                self.sections[self._section.currency] = self._section
                self._depth = 0
            elif self._section is not None:
                self._depth += 1
        section = self._section
        if section is None:
            return
        if tag == "svg":
            section.svgs += 1
        if tag == "div" and "data-figure" in values:
            self._card = values["data-figure"]
            section.cards[self._card] = {"label": "", "value": "", "note": ""}
        if self._card and tag in ("dt", "dd"):
            self._card_part = "label" if tag == "dt" else values.get("class", "value")
        if tag == "table":
            self._table = []
            section.tables[values.get("class", "")] = self._table
        if tag == "tr" and self._table is not None:
            self._table.append([])
        if tag in ("td", "th") and self._table is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag == "section" and self._section is not None:
            if self._depth == 0:
                self._section = None
            else:
                self._depth -= 1
        if tag in ("dt", "dd"):
            self._card_part = None
        if tag == "div" and self._card is not None and self._card_part is None:
            self._card = None
        if tag in ("td", "th") and self._cell is not None and self._table is not None:
            self._table[-1].append("".join(self._cell).strip())
            self._cell = None
        if tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_title:
            self.title += data
        if self._section is not None:
            self._section.text.append(data)
        if self._card is not None and self._card_part is not None:
            card = self._section.cards[self._card] if self._section else {}
            card[self._card_part] = (card.get(self._card_part, "") + data).strip()
        if self._cell is not None:
            self._cell.append(data)

    def value(self, currency: str, key: str) -> str:
        """The written value of a headline card."""
        return self.sections[currency].cards[key]["value"]

    def table(self, currency: str, css: str) -> list[list[str]]:
        """The rows (header first) of the section's table of that class."""
        return self.sections[currency].tables[css]
