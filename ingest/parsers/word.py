"""Word (.docx) to sections, via python-docx.

Headings come from the built-in paragraph styles ``Title`` and
``Heading 1``-``Heading 9``; consecutive list paragraphs (``List ...`` styles
or Word numbering) form one ``list`` section with ``- `` markers indented by
level; each table is one ``table`` section with a ``cell | cell`` line per row.
"""

from __future__ import annotations

import io
import re

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from .base import DocumentBuilder, ParsedDocument, ParseError, heading_clean
from .detect import APPLICATION_DOCX
from .plain import filename_stem

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)


def docx_parse(*, data: bytes, filename: str) -> ParsedDocument:
    """Parse a .docx body in reading order (paragraphs and tables).

    Raises ``ParseError("corrupt DOCX: <reason>")`` when python-docx cannot
    open the package. ``title``: core properties title, else the ``Title``
    paragraph, else the first heading, else the file name.
    """
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(document.iter_inner_content())
        core_title = heading_clean(document.core_properties.title or "")
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types for bad packages
        raise ParseError(f"corrupt DOCX: {exc or type(exc).__name__}") from exc

    builder = DocumentBuilder(media_type=APPLICATION_DOCX)
    stack: list[tuple[int, str]] = []
    list_lines: list[str] = []
    first_heading = styled_title = ""

    def path() -> tuple[str, ...]:
        return tuple(text for _, text in stack)

    def list_flush() -> None:
        if list_lines:
            builder.add("\n".join(list_lines), heading_path=path(), kind="list")
            list_lines.clear()

    for block in blocks:
        if isinstance(block, Table):
            list_flush()
            builder.add(_table_text(block), heading_path=path(), kind="table")
            continue
        if not isinstance(block, Paragraph):
            continue
        text = block.text
        if not text.strip():
            continue
        level = _heading_level(block)
        if level is not None:
            list_flush()
            heading = heading_clean(text)
            if level == 0:
                styled_title = styled_title or heading
            else:
                first_heading = first_heading or heading
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, heading))
            builder.add(text, heading_path=path(), kind="heading")
        elif (depth := _list_depth(block)) is not None:
            list_lines.append(f"{'  ' * depth}- {' '.join(text.split())}")
        else:
            list_flush()
            builder.add(text, heading_path=path(), kind="paragraph")
    list_flush()
    title = core_title or styled_title or first_heading or filename_stem(filename)
    return builder.build(title=title)


def _style_name(paragraph: Paragraph) -> str:
    try:
        return (paragraph.style.name or "") if paragraph.style is not None else ""
    except (KeyError, ValueError, AttributeError):
        return ""


def _heading_level(paragraph: Paragraph) -> int | None:
    """0 for ``Title``, N for ``Heading N``, None for body text."""
    name = _style_name(paragraph)
    if name.lower() == "title":
        return 0
    match = _HEADING_STYLE.match(name)
    return int(match.group(1)) if match else None


def _list_depth(paragraph: Paragraph) -> int | None:
    """Nesting level (0-based) for list paragraphs, None otherwise."""
    properties = paragraph._p.pPr
    numbering = properties.numPr if properties is not None else None
    if numbering is not None and numbering.numId is not None and numbering.numId.val != 0:
        return int(numbering.ilvl.val) if numbering.ilvl is not None else 0
    name = _style_name(paragraph).lower()
    if name.startswith("list"):
        found = re.search(r"(\d)$", name)
        return int(found.group(1)) - 1 if found else 0
    return None


def _table_text(table: Table) -> str:
    lines = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:  # a merged cell is returned once per grid column
                continue
            previous = cell._tc
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            lines.append(" | ".join(cells))
    return "\n".join(lines)
