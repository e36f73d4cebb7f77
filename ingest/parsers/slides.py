"""PowerPoint (.pptx) to sections, via python-pptx.

One heading per slide, ``Slide N: <title>`` (``page`` = N, so citations say
"slide 4"); the slide's other text frames in shape order (groups descended),
tables as ``cell | cell`` rows, and the speaker notes under ``... > Notes``.
"""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from .base import DocumentBuilder, ParsedDocument, ParseError, heading_clean
from .detect import APPLICATION_PPTX
from .limits import zip_check
from .plain import filename_stem


def pptx_parse(*, data: bytes, filename: str) -> ParsedDocument:
    """Parse a deck slide by slide. Raises ``ParseError("corrupt PPTX: ...")`` when
    python-pptx cannot open it (and the container errors of :func:`zip_check`).
    ``title``: core properties title, else the first slide's title, else the file name."""
    zip_check(data, name=filename, kind="PPTX").close()
    try:
        deck = Presentation(io.BytesIO(data))
        slides = list(deck.slides)
        core_title = heading_clean(deck.core_properties.title or "")
    except Exception as exc:  # noqa: BLE001 - python-pptx raises many types for bad packages
        raise ParseError(f"corrupt PPTX: {exc or type(exc).__name__}") from exc
    builder = DocumentBuilder(media_type=APPLICATION_PPTX)
    first_title = ""
    for number, slide in enumerate(slides, start=1):
        title_shape = slide.shapes.title
        title = heading_clean(title_shape.text_frame.text) if title_shape is not None and title_shape.has_text_frame else ""
        first_title = first_title or title
        heading = f"Slide {number}: {title}" if title else f"Slide {number}"
        path = (heading,)
        builder.add(heading, heading_path=path, kind="heading", page=number)
        for shape in _shapes(slide.shapes):
            if title_shape is not None and shape.shape_id == title_shape.shape_id:
                continue
            if getattr(shape, "has_table", False) and shape.has_table:
                rows = [" | ".join(" ".join(cell.text.split()) for cell in row.cells) for row in shape.table.rows]
                builder.add("\n".join(row for row in rows if row.strip(" |")), heading_path=path, kind="table",
                            page=number)
            elif shape.has_text_frame:
                lines = [p.text for p in shape.text_frame.paragraphs]
                bulleted = len([line for line in lines if line.strip()]) > 1
                text = "\n".join(f"- {line}" if bulleted else line for line in lines if line.strip())
                builder.add(text, heading_path=path, kind="list" if bulleted else "paragraph", page=number)
        if slide.has_notes_slide and (notes := slide.notes_slide.notes_text_frame) is not None:
            builder.add(notes.text, heading_path=path + ("Notes",), kind="paragraph", page=number)
    return builder.build(title=core_title or first_title or filename_stem(filename))


def _shapes(shapes):
    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _shapes(shape.shapes)
        else:
            yield shape
