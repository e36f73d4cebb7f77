"""Shared types for the parsers: errors, the parsed shape, and the builder
that lays sections out into one normalized text with exact offsets."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SECTION_KINDS = frozenset({"paragraph", "list", "table", "code", "heading"})


class ParseError(Exception):
    """A file we cannot turn into text, with a reason fit to show the user.

    ``permanent`` is True when retrying the same bytes cannot succeed (corrupt,
    mislabelled, empty); the ingest task stops retrying on permanent errors.
    """

    permanent: bool = True

    def __init__(self, message: str, *, permanent: bool = True) -> None:
        super().__init__(message)
        self.permanent = permanent


class UnsupportedType(ParseError):
    """The file's type is not one we parse (e.g. ``.xlsx``, ``.exe``)."""


@dataclass(frozen=True)
class Section:
    """One structural block of a document.

    ``text == document.text[char_start:char_end]`` (offsets in code points).
    ``heading_path`` is the stack of enclosing headings, outermost first; a
    heading section carries its own heading as the last element. ``page`` is
    1-based for paged formats (PDF), else None. ``kind`` is one of
    ``SECTION_KINDS``.
    """

    heading_path: tuple[str, ...]
    text: str
    char_start: int
    char_end: int
    page: int | None
    kind: str


@dataclass(frozen=True)
class ParsedDocument:
    """A document as text plus its sections, in reading order.

    ``text`` is the sections' texts joined by blank lines; sections neither
    overlap nor leave out any non-blank text. ``notes`` say what was capped,
    skipped, recovered or read by OCR (each is also a visible section).
    """

    text: str
    sections: list[Section]
    title: str
    media_type: str
    notes: tuple[str, ...] = ()


# C0/C1 control characters other than tab and newline, plus the BOM and
# zero-width no-break space; they carry no meaning and confuse tokenizers.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)


def text_normalize(text: str) -> str:
    """NFC, Unix newlines, no control characters, no trailing spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text))
    return _TRAILING_SPACE.sub("", text)


def heading_clean(text: str, *, max_chars: int = 200) -> str:
    """A heading as one short line of plain text."""
    text = " ".join(text.split())
    if len(text) > max_chars:
        text = text[: max_chars - 1].rstrip() + "…"
    return text


class DocumentBuilder:
    """Collects sections in reading order and joins them with blank lines.

    Each added block is normalized and stripped of surrounding blank lines
    (leading indentation of its first line is kept: it matters in code).
    Blank blocks are dropped.
    """

    SEPARATOR = "\n\n"

    def __init__(self, *, media_type: str) -> None:
        self.media_type = media_type
        self._parts: list[str] = []
        self._sections: list[Section] = []
        self._length = 0
        self._notes: list[str] = []

    def note(self, message: str, *, heading_path: tuple[str, ...] = (), page: int | None = None) -> None:
        """Record what was capped, skipped or recovered, as a note and a visible ``[...]`` paragraph."""
        self._notes.append(message)
        self.add(f"[{message}]", heading_path=heading_path, kind="paragraph", page=page)

    def notes_extend(self, messages: list[str]) -> None:
        """Record notes whose visible paragraphs are already among the added sections
        (e.g. an attachment's, copied from its own parse)."""
        self._notes.extend(messages)

    def add(self, text: str, *, heading_path: tuple[str, ...], kind: str, page: int | None = None) -> None:
        """Appends one section (``kind`` one of :data:`SECTION_KINDS`: AssertionError otherwise), its text
        normalized and joined to the previous by :attr:`SEPARATOR`; blank text adds nothing. The
        section records its ``[char_start, char_end)`` offsets in the final text.
        """
        assert kind in SECTION_KINDS, kind
        text = text_normalize(text).strip("\n")
        if not text.strip():
            return
        if self._parts:
            self._parts.append(self.SEPARATOR)
            self._length += len(self.SEPARATOR)
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        self._sections.append(
            Section(
                heading_path=tuple(heading_path),
                text=text,
                char_start=start,
                char_end=self._length,
                page=page,
                kind=kind,
            )
        )

    @property
    def is_empty(self) -> bool:
        """Whether no section with text was added (the parser found nothing to index)."""
        return not self._sections

    def build(self, *, title: str) -> ParsedDocument:
        """The ParsedDocument: the joined text, its sections with offsets, ``title`` cleaned, the notes."""
        return ParsedDocument(
            text="".join(self._parts),
            sections=list(self._sections),
            title=heading_clean(title),
            media_type=self.media_type,
            notes=tuple(self._notes),
        )
