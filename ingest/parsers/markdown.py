"""Markdown (CommonMark + GFM tables) to sections, via markdown-it-py.

markdown-it gives every top-level block its source line range (``token.map``),
so sections keep the Markdown as written (fences, list markers, table pipes)
while headings come from the parsed tree. Raw HTML never passes through as
written: HTML blocks go through the same visible-text extraction as ``.html``
files, and inline tags (``<span onclick>``, ``<script>`` in a paragraph) and
``javascript:``/``data:`` link targets are removed from the Markdown source
(code spans and fences are kept as written: there they are documentation).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from .base import DocumentBuilder, ParsedDocument, heading_clean
from .detect import TEXT_MARKDOWN
from .html import html_sections
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
}
# An inline element whose content is never visible text, with its content.
_INLINE_ACTIVE = re.compile(
    r"<(script|style|iframe|object|embed|template|noscript|applet|frameset|select|textarea)\b.*?"
    r"(?:</\1\s*>|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_INLINE_TAG = re.compile(
    r"</?[A-Za-z][A-Za-z0-9-]*(?:\s+[^<>]*?)?/?>|<!--.*?-->|<\?.*?\?>|<![A-Z]+[^>]*>|<!\[CDATA\[.*?\]\]>",
    re.DOTALL,
)
_ACTIVE_LINK = re.compile(r"\]\(\s*<?\s*(?:javascript|vbscript|data|file):[^)]*\)", re.IGNORECASE)
_ACTIVE_REFERENCE = re.compile(r"^( {0,3}\[[^\]]+\]:\s*)<?\s*(?:javascript|vbscript|data|file):\S*",
                               re.IGNORECASE | re.MULTILINE)
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1", re.DOTALL)


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
        elif token.type == "html_block":
            start, end = token.map
            for section in html_sections("\n".join(lines[start:end])):
                builder.add(section.text, heading_path=tuple(h for _, h in stack) + section.heading_path,
                            kind=section.kind)
        elif (kind := _KIND_BY_TOKEN.get(token.type)) is not None:
            start, end = token.map
            source = "\n".join(lines[start:end])
            if kind != "code":
                source = inline_html_strip(source)
            builder.add(source, heading_path=tuple(h for _, h in stack), kind=kind)
    title = front_title or first_h1 or first_heading or filename_stem(filename)
    return builder.build(title=title)


def inline_html_strip(source: str) -> str:
    """Markdown source without inline HTML tags, active elements' content, or
    ``javascript:``/``data:`` link targets (``[text](javascript:x)`` keeps ``[text]``).
    Code spans are left as written."""
    parts = []
    position = 0
    for span in _CODE_SPAN.finditer(source):
        parts.append(_strip(source[position : span.start()]))
        parts.append(span.group(0))
        position = span.end()
    parts.append(_strip(source[position:]))
    return "".join(parts)


def _strip(text: str) -> str:
    if "<" in text:
        text = _INLINE_TAG.sub("", _INLINE_ACTIVE.sub("", text))
    text = _ACTIVE_LINK.sub("]", text)
    return _ACTIVE_REFERENCE.sub(r"\1", text)
