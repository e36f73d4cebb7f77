"""Plain text to sections: blocks separated by blank lines."""

from __future__ import annotations

import re

from .base import DocumentBuilder, ParsedDocument
from .detect import TEXT_PLAIN

_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")
_BULLET = re.compile(r"^\s*([-*+•]|\d+[.)])\s+\S")


def plain_parse(*, text: str, filename: str) -> ParsedDocument:
    """Parse plain text: each blank-line separated block is a section, a block
    whose lines all start with a bullet or number is a ``list``. Plain text has
    no headings; ``title`` is the first line when it is short, else the file
    name without extension."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    builder = DocumentBuilder(media_type=TEXT_PLAIN)
    for block in _BLOCK_SPLIT.split(text):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        is_list = _BULLET.match(lines[0]) and all(_BULLET.match(line) or line[:1].isspace() for line in lines[1:])
        builder.add(block, heading_path=(), kind="list" if is_list else "paragraph")
    first_line = text.strip().split("\n", 1)[0].strip()
    title = first_line if 0 < len(first_line) <= 100 else filename_stem(filename)
    return builder.build(title=title)


def filename_stem(filename: str) -> str:
    """``docs/Quarterly report.final.pdf`` -> ``Quarterly report.final``."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
