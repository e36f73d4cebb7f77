"""Word (.docx) to sections, from the package XML (ECMA-376 Part 1, WordprocessingML).

The main part is found through the package relationships (:mod:`.ooxml`), so a
renamed ``word/document.xml`` still opens, and both Transitional and Strict
namespaces are read. What is indexed is the text a reader sees with every
tracked change accepted: insertions (``w:ins``, ``w:moveTo``) are kept,
deletions (``w:del``, ``w:moveFrom``, deleted table rows) dropped, and field
codes (``w:instrText``) never become text. Content controls (``w:sdt``) give
their content, not their placeholder. Drawings and embedded objects are
skipped, as python-docx skipped them.

Headings come from the paragraph styles ``Title`` and ``Heading 1``-``Heading 9``
(by style name, from the styles part); consecutive list paragraphs (Word
numbering or ``List ...`` styles) form one ``list`` section with ``- `` markers
indented by level; each top-level table is one ``table`` section with a
``cell | cell`` line per row, a table nested in a cell written into that cell
as ``[a | b; c | d]``.
"""

from __future__ import annotations

import re

from lxml import etree

from .base import DocumentBuilder, ParsedDocument, ParseError, heading_clean
from .detect import APPLICATION_DOCX
from .limits import zip_check
from .ooxml import Package, local_name
from .plain import filename_stem

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_W_NAMESPACES = frozenset({
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",  # Transitional
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # Strict
})
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
# Containers whose content is read as if it stood in their place.
_TRANSPARENT = frozenset({"ins", "moveTo", "hyperlink", "smartTag", "customXml", "fldSimple", "dir", "bdo"})
# Tracked deletions: never text.
_DELETED = frozenset({"del", "moveFrom"})


def docx_parse(*, data: bytes, filename: str) -> ParsedDocument:
    """Parse a .docx body in reading order (paragraphs and tables), tracked changes accepted.

    Raises ``ParseError("corrupt DOCX: <reason>")`` when the package or its main
    part cannot be read, ``ParseError("encrypted DOCX ...")`` for protected zips.
    ``title``: core properties title, else the ``Title`` paragraph, else the
    first heading, else the file name.
    """
    package = Package(zip_check(data, name=filename, kind="DOCX"), kind="DOCX")
    main = package.related("", "officeDocument") or package.part_of_type("wordprocessingml.document.main+xml")
    if main is None:
        raise ParseError("corrupt DOCX: the package names no main document part")
    root = package.xml(main)
    body = next((child for child in root if _w(child) == "body"), None)
    if body is None:
        raise ParseError(f"corrupt DOCX: {main} has no w:body")
    reader = _Reader(styles=_style_names(package, main))
    reader.blocks(body)
    reader.list_flush()
    title = _core_title(package) or reader.styled_title or reader.first_heading or filename_stem(filename)
    return reader.builder.build(title=title)


def _w(element: etree._Element) -> str:
    """Local name of a WordprocessingML element; ``""`` for anything else (drawings, mc:...)."""
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return ""
    namespace, _, name = tag[1:].partition("}")
    return name if namespace in _W_NAMESPACES else ""


def _attr(element: etree._Element | None, name: str) -> str | None:
    """A ``w:``-namespaced attribute in either namespace."""
    if element is None:
        return None
    for namespace in _W_NAMESPACES:
        value = element.get(f"{{{namespace}}}{name}")
        if value is not None:
            return value
    return None


def _child(element: etree._Element | None, name: str) -> etree._Element | None:
    if element is None:
        return None
    return next((child for child in element if _w(child) == name), None)


def _style_names(package: Package, main: str) -> dict[str, str]:
    """styleId -> style name, from the styles part the main part relates to ({} if none)."""
    part = package.related(main, "styles")
    if part is None or not package.has(part):
        return {}
    names = {}
    for style in package.xml(part):
        if _w(style) == "style" and (style_id := _attr(style, "styleId")):
            names[style_id] = _attr(_child(style, "name"), "val") or style_id
    return names


def _core_title(package: Package) -> str:
    part = package.related("", "core-properties")
    if part is None or not package.has(part):
        return ""
    try:
        found = package.xml(part).find(_DC_TITLE)
    except ParseError:
        return ""  # damaged metadata does not make the document unreadable
    return heading_clean(found.text or "") if found is not None else ""


def _paragraph_text(paragraph: etree._Element) -> str:
    """The paragraph's visible text with tracked changes accepted."""
    parts: list[str] = []

    def walk(element: etree._Element) -> None:
        for child in element:
            name = _w(child)
            if name == "r":
                for piece in child:
                    kind = _w(piece)
                    if kind == "t":
                        parts.append(piece.text or "")
                    elif kind == "tab":
                        parts.append("\t")
                    elif kind in ("br", "cr"):
                        parts.append("\n")
                    elif kind == "noBreakHyphen":
                        parts.append("-")
            elif name in _TRANSPARENT:
                walk(child)
            elif name == "sdt" and (content := _sdt_content(child)) is not None:
                walk(content)
    walk(paragraph)
    return "".join(parts)


def _sdt_content(sdt: etree._Element) -> etree._Element | None:
    """A content control's content, or None while it shows only its placeholder."""
    if _child(_child(sdt, "sdtPr"), "showingPlcHdr") is not None:
        return None
    return _child(sdt, "sdtContent")


def _row_cells(row: etree._Element) -> list[etree._Element]:
    cells = []
    for child in row:
        name = _w(child)
        if name == "tc":
            cells.append(child)
        elif name in ("sdt", "customXml"):
            inner = _sdt_content(child) if name == "sdt" else child
            cells.extend(_row_cells(inner) if inner is not None else [])
    return cells


def _table_rows(table: etree._Element) -> list[etree._Element]:
    rows = []
    for child in table:
        name = _w(child)
        if name == "tr":
            if _child(_child(child, "trPr"), "del") is None:  # a deleted row is not in the accepted text
                rows.append(child)
        elif name in ("sdt", "customXml"):
            inner = _sdt_content(child) if name == "sdt" else child
            rows.extend(_table_rows(inner) if inner is not None else [])
    return rows


def _table_lines(table: etree._Element) -> list[str]:
    """One ``a | b`` line per row; a vertically merged continuation cell is empty."""
    lines = []
    for row in _table_rows(table):
        cells = []
        for cell in _row_cells(row):
            merge = _child(_child(cell, "tcPr"), "vMerge")
            continued = merge is not None and _attr(merge, "val") in (None, "continue")
            cells.append("" if continued else _cell_text(cell))
        if any(cells):
            lines.append(" | ".join(cells))
    return lines


def _cell_text(container: etree._Element) -> str:
    pieces: list[str] = []
    for child in container:
        name = _w(child)
        if name == "p":
            pieces.append(_paragraph_text(child))
        elif name == "tbl":
            pieces.append("[" + "; ".join(_table_lines(child)) + "]")
        elif name in ("sdt", "customXml") and (inner := _sdt_content(child) if name == "sdt" else child) is not None:
            pieces.append(_cell_text(inner))
    return " ".join(" ".join(pieces).split())


class _Reader:
    """Lays the body's blocks out as sections, tracking the heading path and list runs."""

    def __init__(self, *, styles: dict[str, str]) -> None:
        self.builder = DocumentBuilder(media_type=APPLICATION_DOCX)
        self.styles = styles
        self.stack: list[tuple[int, str]] = []
        self.list_lines: list[str] = []
        self.first_heading = self.styled_title = ""

    def path(self) -> tuple[str, ...]:
        return tuple(text for _, text in self.stack)

    def list_flush(self) -> None:
        if self.list_lines:
            self.builder.add("\n".join(self.list_lines), heading_path=self.path(), kind="list")
            self.list_lines.clear()

    def blocks(self, container: etree._Element) -> None:
        for child in container:
            name = _w(child)
            if name == "p":
                self.paragraph(child)
            elif name == "tbl":
                self.list_flush()
                self.builder.add("\n".join(_table_lines(child)), heading_path=self.path(), kind="table")
            elif name == "sdt":
                if (content := _sdt_content(child)) is not None:
                    self.blocks(content)
            elif name in ("customXml", "ins", "moveTo"):
                self.blocks(child)

    def paragraph(self, paragraph: etree._Element) -> None:
        text = _paragraph_text(paragraph)
        if not text.strip():
            return
        properties = _child(paragraph, "pPr")
        style = self.styles.get(_attr(_child(properties, "pStyle"), "val") or "", "")
        level = 0 if style.lower() == "title" else (int(m.group(1)) if (m := _HEADING_STYLE.match(style)) else None)
        if level is not None:
            self.list_flush()
            heading = heading_clean(text)
            if level == 0:
                self.styled_title = self.styled_title or heading
            else:
                self.first_heading = self.first_heading or heading
            while self.stack and self.stack[-1][0] >= level:
                self.stack.pop()
            self.stack.append((level, heading))
            self.builder.add(text, heading_path=self.path(), kind="heading")
        elif (depth := _list_depth(properties, style)) is not None:
            self.list_lines.append(f"{'  ' * depth}- {' '.join(text.split())}")
        else:
            self.list_flush()
            self.builder.add(text, heading_path=self.path(), kind="paragraph")


def _list_depth(properties: etree._Element | None, style: str) -> int | None:
    """Nesting level (0-based) for list paragraphs, None otherwise."""
    numbering = _child(properties, "numPr")
    num_id = _attr(_child(numbering, "numId"), "val")
    if num_id is not None and num_id != "0":
        level = _attr(_child(numbering, "ilvl"), "val")
        return int(level) if level and level.isdigit() else 0
    name = style.lower()
    if name.startswith("list"):
        found = re.search(r"(\d)$", name)
        return int(found.group(1)) - 1 if found else 0
    return None
