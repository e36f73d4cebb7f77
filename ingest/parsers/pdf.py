"""PDF to sections, via pypdf's text extraction (no OCR).

Each page's text is split into paragraphs (blank lines, or a short line that
ends a sentence); sections never cross pages, so every section has a 1-based
``page``. The PDF outline (bookmarks), when present, gives ``heading_path``:
a page is under the last bookmark that starts on or before it.
"""

from __future__ import annotations

import io
import re
import statistics

from pypdf import PdfReader
from pypdf.errors import DependencyError, PyPdfError

from .base import DocumentBuilder, ParsedDocument, ParseError, heading_clean
from .detect import APPLICATION_PDF
from .plain import filename_stem

_BULLET = re.compile(r"^\s*([-*•▪◦‣]|\d+[.)])\s+\S")
_SENTENCE_END = re.compile(r"[.!?:;]['\")\]]*$")


def pdf_parse(*, data: bytes, filename: str) -> ParsedDocument:
    """Parse a PDF's text layer.

    Raises ``ParseError`` for a corrupt file ("corrupt PDF: <pypdf's reason>"),
    a password-protected one, or one without a text layer ("no extractable
    text (scanned PDF?)"). ``title`` is the document info title, else the
    first line, else the file name.
    """
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ParseError("encrypted PDF: it needs a password; upload an unprotected copy")
        pages = list(reader.pages)
    except ParseError:
        raise
    except DependencyError as exc:
        raise ParseError(f"encrypted PDF that this server cannot decrypt: {exc}") from exc
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise ParseError(f"corrupt PDF: {exc or type(exc).__name__}") from exc

    page_headings = _page_headings(reader, len(pages))
    builder = DocumentBuilder(media_type=APPLICATION_PDF)
    first_error: Exception | None = None
    first_line = ""
    for number, page in enumerate(pages, start=1):
        try:
            text = page.extract_text() or ""
        except Exception as exc:  # noqa: BLE001 - a bad page must not hide the others
            first_error = first_error or exc
            continue
        for block in _paragraphs(text):
            first_line = first_line or block.strip().split("\n", 1)[0].strip()
            lines = [line for line in block.split("\n") if line.strip()]
            kind = "list" if lines and _BULLET.match(lines[0]) else "paragraph"
            builder.add(block, heading_path=page_headings[number - 1], kind=kind, page=number)
    if builder.is_empty:
        if first_error is not None:
            raise ParseError(f"corrupt PDF: {first_error or type(first_error).__name__}")
        raise ParseError("no extractable text (scanned PDF?)")
    title = _metadata_title(reader) or (first_line if len(first_line) <= 120 else "") or filename_stem(filename)
    return builder.build(title=title)


def _paragraphs(text: str) -> list[str]:
    """Split one page's extracted text into paragraphs."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    widths = [len(line) for line in lines if line.strip()]
    if not widths:
        return []
    # A line well short of the typical width that ends a sentence ends its paragraph.
    short = 0.7 * statistics.median(widths)
    blocks: list[list[str]] = [[]]
    for line in lines:
        if not line.strip():
            if blocks[-1]:
                blocks.append([])
            continue
        if blocks[-1] and _BULLET.match(line) and not _BULLET.match(blocks[-1][0]):
            blocks.append([])
        blocks[-1].append(line)
        if len(line) < short and _SENTENCE_END.search(line) and not _BULLET.match(blocks[-1][0]):
            blocks.append([])
    return ["\n".join(block) for block in blocks if block]


def _metadata_title(reader: PdfReader) -> str:
    try:
        title = (reader.metadata or {}).get("/Title") or ""
    except Exception:  # noqa: BLE001 - metadata is optional and often malformed
        return ""
    title = heading_clean(str(title))
    return "" if title.lower() in {"untitled", "(anonymous)"} else title


def _page_headings(reader: PdfReader, page_count: int) -> list[tuple[str, ...]]:
    """For each page (0-based), the outline path in force at its top."""
    entries: list[tuple[int, int, str]] = []  # (page index, depth, title)

    def visit(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                visit(item, depth + 1)
                continue
            try:
                page_index = reader.get_destination_page_number(item)
                title = heading_clean(str(item.title or ""))
            except Exception:  # noqa: BLE001 - a broken bookmark is just skipped
                continue
            if title and page_index is not None and 0 <= page_index < page_count:
                entries.append((page_index, depth, title))

    try:
        visit(reader.outline, 0)
    except Exception:  # noqa: BLE001 - outlines are optional
        entries = []
    entries.sort(key=lambda entry: entry[0])  # stable: keeps document order per page
    paths: list[tuple[str, ...]] = []
    stack: list[tuple[int, str]] = []
    position = 0
    for page_index in range(page_count):
        while position < len(entries) and entries[position][0] <= page_index:
            _, depth, title = entries[position]
            while stack and stack[-1][0] >= depth:
                stack.pop()
            stack.append((depth, title))
            position += 1
        paths.append(tuple(title for _, title in stack))
    return paths
