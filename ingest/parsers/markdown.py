"""Markdown (CommonMark + GFM tables) to sections, via markdown-it-py.

markdown-it gives every top-level block its source line range (``token.map``),
so sections keep the Markdown as written (fences, list markers, table pipes)
while headings come from the parsed tree.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from .base import DocumentBuilder, ParsedDocument, heading_clean
from .detect import TEXT_MARKDOWN
from .plain import filename_stem

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FRONT_MATTER_TITLE = re.compile(r"^title:\s*[\"']?(.+?)[\"']?\s*$", re.MULTILINE)

_KIND_BY_TOKEN = {
    "paragraph_open": "paragraph",
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "blockquote_open": "paragraph",
    "table_open": "table",
    "fence": "code",
    "code_block": "code",
    "html_block": "paragraph",
}


def markdown_parse(*, text: str, filename: str) -> ParsedDocument:
    """Parse Markdown: ATX/setext headings build ``heading_path``; paragraphs,
    lists, tables, fenced/indented code and block quotes become sections with
    their source text. YAML front matter is dropped (its ``title:`` is used).
    ``title``: front matter title, else the first level-1 heading, else the
    first heading, else the file name."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    front_title = ""
    if front := _FRONT_MATTER.match(text):
        if found := _FRONT_MATTER_TITLE.search(front.group(1)):
            front_title = found.group(1)
        text = text[front.end() :]
    lines = text.split("\n")
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    builder = DocumentBuilder(media_type=TEXT_MARKDOWN)
    stack: list[tuple[int, str]] = []
    first_h1 = first_heading = ""
    for index, token in enumerate(tokens):
        if token.level != 0 or token.map is None:
            continue
        if token.type == "heading_open":
            level = int(token.tag[1:])
            inline = tokens[index + 1]
            heading = heading_clean(
                "".join(child.content for child in inline.children or [] if child.type in {"text", "code_inline"})
                or inline.content
            )
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, heading))
            first_heading = first_heading or heading
            if level == 1:
                first_h1 = first_h1 or heading
            builder.add(inline.content, heading_path=tuple(h for _, h in stack), kind="heading")
        elif (kind := _KIND_BY_TOKEN.get(token.type)) is not None:
            start, end = token.map
            builder.add("\n".join(lines[start:end]), heading_path=tuple(h for _, h in stack), kind=kind)
    title = front_title or first_h1 or first_heading or filename_stem(filename)
    return builder.build(title=title)
