"""OpenDocument (.odt, .ods, .odp) to sections, via odfpy.

Text documents: ``text:h`` headings (with their outline level) build the
heading path, ``text:p`` paragraphs and ``table:table`` tables follow in
order. Spreadsheets: one ``table`` section per sheet under ``Sheet "name"``.
Presentations: one heading per page, ``Slide N: <name>`` with ``page`` N.
"""

from __future__ import annotations

import io

from .base import DocumentBuilder, ParsedDocument, ParseError, heading_clean
from .detect import APPLICATION_ODP, APPLICATION_ODS, APPLICATION_ODT
from .limits import zip_check
from .plain import filename_stem

_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_DRAW_NS = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"


def odf_parse(*, data: bytes, filename: str) -> ParsedDocument:
    """Parse an OpenDocument file. Raises ``ParseError("corrupt ODF: ...")`` when odfpy cannot load it."""
    from odf import teletype
    from odf.opendocument import load

    archive = zip_check(data, name=filename, kind="ODF")
    media_type = archive.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in archive.namelist() \
        else APPLICATION_ODT
    archive.close()
    try:
        document = load(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - odfpy raises many types for bad packages
        raise ParseError(f"corrupt ODF: {exc or type(exc).__name__}") from exc
    builder = DocumentBuilder(media_type=media_type)
    stack: list[tuple[int, str]] = []

    def text_of(element) -> str:
        return " ".join(teletype.extractText(element).split())

    def table_text(table) -> str:
        rows = []
        for row in table.getElementsByType(_table_row()):
            cells = [text_of(cell) for cell in row.childNodes if cell.qname[1] in {"table-cell", "covered-table-cell"}]
            while cells and not cells[-1]:
                cells.pop()
            if any(cells):
                rows.append(" | ".join(cells))
        return "\n".join(rows)

    def walk(element, page: int | None, base: tuple[str, ...]) -> None:
        for child in element.childNodes:
            namespace, name = getattr(child, "qname", (None, None))
            path = base + tuple(text for _, text in stack)
            if namespace == _TEXT_NS and name == "h":
                level = int(child.getAttribute("outlinelevel") or 1)
                heading = heading_clean(text_of(child))
                while stack and stack[-1][0] >= level:
                    stack.pop()
                stack.append((level, heading))
                builder.add(text_of(child), heading_path=base + tuple(t for _, t in stack), kind="heading", page=page)
            elif namespace == _TEXT_NS and name == "p":
                builder.add(text_of(child), heading_path=path, kind="paragraph", page=page)
            elif namespace == _TABLE_NS and name == "table":
                table_name = child.getAttribute("name") or ""
                where = (f'Sheet "{table_name}"',) if media_type == APPLICATION_ODS else path
                builder.add(table_text(child), heading_path=where, kind="table", page=page)
            elif namespace == _DRAW_NS and name == "page" and media_type == APPLICATION_ODP:
                number = (page or 0) + 1
                page_name = heading_clean(child.getAttribute("name") or "")
                heading = f"Slide {number}: {page_name}" if page_name else f"Slide {number}"
                builder.add(heading, heading_path=(heading,), kind="heading", page=number)
                walk(child, number, (heading,))
                page = number
            elif hasattr(child, "childNodes"):
                walk(child, page, base)

    walk(document.body, None, ())
    title = ""
    for element in document.meta.childNodes:
        if getattr(element, "qname", (None, None))[1] == "title":
            title = heading_clean(text_of(element))
    return builder.build(title=title or filename_stem(filename))


def _table_row():
    from odf.table import TableRow

    return TableRow
