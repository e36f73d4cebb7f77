"""PDF to sections: pdfplumber's text (pypdf when pdfplumber cannot read the
file), and OCR for pages without a text layer.

Each page's text is split into paragraphs (blank lines, or a short line that
ends a sentence); sections never cross pages, so every section has a 1-based
``page``. The PDF outline (bookmarks), when present, gives ``heading_path``:
a page is under the last bookmark that starts on or before it.

A page with no text is rendered by pdfium at 300 dpi and read by Debian's
``tesseract`` (pytesseract), for at most :data:`OCR_MAX_PAGES` pages per
document and :data:`OCR_PAGE_SECONDS` each; its sections carry the heading
``OCR`` and the document a note, so users see the text was recognised, not
extracted. A damaged file (truncated, broken xref) keeps the pages that parse,
with a note.
"""

from __future__ import annotations

import io
import re
import statistics

import pdfplumber
import pypdfium2
import pytesseract
from pypdf import PdfReader
from pypdf.errors import DependencyError, PyPdfError

from .base import DocumentBuilder, ParsedDocument, ParseError, heading_clean
from .detect import APPLICATION_PDF
from .limits import OCR_MAX_PAGES, OCR_PAGE_SECONDS
from .plain import filename_stem

OCR_HEADING = "OCR"
_OCR_DPI = 300
_OBJECT = re.compile(rb"(?<![0-9])(\d+) 0 obj\b")
_CATALOG = re.compile(rb"\d+ 0 obj\s*<<[^>]{0,400}?/Type\s*/Catalog", re.DOTALL)

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
        return _recovered_parse(data, filename=filename, reason=f"{exc or type(exc).__name__}")

    page_headings = _page_headings(reader, len(pages))
    builder = DocumentBuilder(media_type=APPLICATION_PDF)
    texts, first_error, damaged = _page_texts(data, pages)
    first_line = ""
    scanned: list[int] = []
    ocr_failures: list[str] = []
    for number, text in enumerate(texts, start=1):
        heading_path = page_headings[number - 1]
        if not (text or "").strip():
            if len(scanned) >= OCR_MAX_PAGES:
                ocr_failures.append(f"page {number}: over the {OCR_MAX_PAGES}-page OCR limit")
                continue
            try:
                text = page_ocr(data, index=number - 1)
            except ParseError as exc:
                ocr_failures.append(f"page {number}: {exc}")
                continue
            if text.strip():
                scanned.append(number)
                heading_path = heading_path + (OCR_HEADING,)
        for block in _paragraphs(text or ""):
            first_line = first_line or block.strip().split("\n", 1)[0].strip()
            lines = [line for line in block.split("\n") if line.strip()]
            kind = "list" if lines and _BULLET.match(lines[0]) else "paragraph"
            builder.add(block, heading_path=heading_path, kind=kind, page=number)
    if builder.is_empty:
        if first_error is not None:
            raise ParseError(f"corrupt PDF: {first_error or type(first_error).__name__}")
        reason = f"; OCR: {ocr_failures[0]}" if ocr_failures else ""
        raise ParseError(f"no extractable text (scanned PDF?){reason}")
    if scanned:
        pages = f"page {scanned[0]} has" if len(scanned) == 1 else f"pages {_ranges(scanned)} have"
        builder.note(f"{pages} no text layer and {'was' if len(scanned) == 1 else 'were'} read by OCR (tesseract)")
    if ocr_failures:
        builder.note("pages not read: " + "; ".join(ocr_failures[:5]) + (" ..." if len(ocr_failures) > 5 else ""))
    if damaged:
        builder.note(f"the PDF is damaged ({damaged}); the {len(texts)} pages that could be read were indexed")
    title = _metadata_title(reader) or (first_line if len(first_line) <= 120 else "") or filename_stem(filename)
    return builder.build(title=title)


def _page_texts(data: bytes, pages: list) -> tuple[list[str], Exception | None, str]:
    """Text per page (pdfplumber, falling back to pypdf per page), the first
    page error, and why the file counts as damaged ("" when it does not)."""
    texts: list[str] = []
    first_error: Exception | None = None
    damaged = ""
    try:
        plumber = pdfplumber.open(io.BytesIO(data))
        plumber_pages = plumber.pages
    except Exception as exc:  # noqa: BLE001 - pdfminer is stricter than pypdf about broken files
        plumber, plumber_pages = None, []
        damaged = f"pdfminer: {exc or type(exc).__name__}"
    try:
        for index, page in enumerate(pages):
            text = ""
            if index < len(plumber_pages):
                try:
                    text = plumber_pages[index].extract_text() or ""
                except Exception as exc:  # noqa: BLE001 - a bad page must not hide the others
                    first_error = first_error or exc
            if not text.strip():
                try:
                    text = page.extract_text() or ""
                except Exception as exc:  # noqa: BLE001
                    first_error = first_error or exc
            texts.append(text)
    finally:
        if plumber is not None:
            plumber.close()
    return texts, first_error, damaged


def _recovered_parse(data: bytes, *, filename: str, reason: str) -> ParsedDocument:
    """A file pypdf cannot open as is (truncated tail, broken xref or trailer): a
    trailer naming the catalog object is appended and pypdf rebuilds the xref by
    scanning for objects. The pages with text are indexed, with a note. Raises
    ``ParseError("corrupt PDF: <pypdf's reason>")`` when no page has text."""
    objects = [(int(m.group(1)), m.start()) for m in _OBJECT.finditer(data)]
    root = next((number for number, start in objects if _CATALOG.match(data, start)), None)
    if root is None:
        raise ParseError(f"corrupt PDF: {reason}")
    size = max(number for number, _ in objects) + 1
    trailer = b"\nxref\n0 0\ntrailer\n<< /Root %d 0 R /Size %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        root, size, len(data) + 1)
    builder = DocumentBuilder(media_type=APPLICATION_PDF)
    read: list[int] = []
    try:
        pages = list(PdfReader(io.BytesIO(data + trailer), strict=False).pages)
    except Exception as exc:  # noqa: BLE001 - the repair is best effort
        raise ParseError(f"corrupt PDF: {reason}") from exc
    for number, page in enumerate(pages, start=1):
        try:
            text = page.extract_text() or ""
        except Exception:  # noqa: BLE001 - a bad page must not hide the others
            continue
        for block in _paragraphs(text):
            builder.add(block, heading_path=(), kind="paragraph", page=number)
        if text.strip():
            read.append(number)
    if builder.is_empty:
        raise ParseError(f"corrupt PDF: {reason}")
    builder.note(f"the PDF is damaged ({reason}); recovered pages {_ranges(read)} of {len(pages)}")
    return builder.build(title=filename_stem(filename))


def page_ocr(data: bytes, *, index: int) -> str:
    """OCR page ``index`` (0-based) of the PDF ``data``: rendered by pdfium at
    300 dpi, read by tesseract within :data:`OCR_PAGE_SECONDS`. Raises
    ``ParseError`` when tesseract is missing, times out, or the page cannot be rendered."""
    try:
        document = pypdfium2.PdfDocument(data)
        try:
            image = document[index].render(scale=_OCR_DPI / 72).to_pil()
        finally:
            document.close()
    except Exception as exc:  # noqa: BLE001 - pdfium errors are not typed
        raise ParseError(f"cannot render the page for OCR ({exc or type(exc).__name__})") from exc
    try:
        return pytesseract.image_to_string(image.convert("L"), timeout=OCR_PAGE_SECONDS)
    except pytesseract.TesseractNotFoundError as exc:
        raise ParseError("OCR is not available (install Debian's tesseract-ocr)", permanent=False) from exc
    except RuntimeError as exc:  # pytesseract's timeout
        raise ParseError(f"OCR took longer than {OCR_PAGE_SECONDS} s") from exc
    except pytesseract.TesseractError as exc:
        raise ParseError(f"OCR failed: {exc}") from exc


def _ranges(numbers: list[int]) -> str:
    spans: list[list[int]] = []
    for number in numbers:
        if spans and spans[-1][1] == number - 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


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
