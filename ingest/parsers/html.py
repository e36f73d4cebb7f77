"""HTML to sections, via BeautifulSoup (stdlib ``html.parser`` backend).

We keep the page's content and drop its furniture: scripts, styles,
navigation, site headers/footers, forms and hidden elements. When the page
has a ``<main>`` element only that is read. Only visible text is kept:
attributes (event handlers, ``javascript:`` links, ``src``) never become
text and nothing is fetched. SVG keeps its ``<text>`` and drops its scripts.
Before a tree is built the markup is scanned with the stdlib's streaming
tokenizer: more than :data:`HTML_MAX_DEPTH` open elements or
:data:`HTML_MAX_ELEMENTS` elements fail with a reason (a nesting bomb would
otherwise cost quadratic time).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from .base import DocumentBuilder, ParsedDocument, ParseError, Section, heading_clean
from .detect import TEXT_HTML
from .limits import HTML_MAX_DEPTH, HTML_MAX_ELEMENTS
from .plain import filename_stem

_DROPPED_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "form",
        "button",
        "select",
        "iframe",
        "frame",
        "frameset",
        "applet",
        "canvas",
        "math",
        "object",
        "embed",
        "head",
        "dialog",
        "aside",
    }
)
_DROPPED_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "complementary"})
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "body",
        "html",
        "blockquote",
        "dl",
        "dt",
        "dd",
        "figure",
        "figcaption",
        "address",
        "details",
        "summary",
        "li",
        "hr",
        "center",
        "fieldset",
    }
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_LINE_BREAK = object()


def html_parse(*, text: str, filename: str) -> ParsedDocument:
    """Parse HTML: ``<h1>``-``<h6>`` build ``heading_path``; ``<p>`` and other
    blocks become paragraphs, ``<ul>/<ol>`` lists (``- item`` lines, nested
    lists indented), ``<table>`` tables (one ``cell | cell`` line per row),
    ``<pre>`` code. ``title``: ``<title>``, else the first ``<h1>``, else the
    file name. Raises ``ParseError`` for markup over the depth or element bound."""
    markup_check(text)
    soup = BeautifulSoup(text, "html.parser")
    page_title = heading_clean(soup.title.get_text(" ")) if soup.title else ""
    root = soup.find("main") or soup.body or soup
    walker = _Walker()
    walker.walk(root)
    walker.flush()
    return walker.builder.build(title=page_title or walker.first_h1 or filename_stem(filename))


def html_sections(text: str) -> list[Section]:
    """The visible text of an HTML fragment as sections (heading paths relative
    to the fragment); for HTML inside Markdown and mail bodies. Raises
    ``ParseError`` as :func:`html_parse` does."""
    return html_parse(text=text, filename="fragment.html").sections


# Elements a parser closes implicitly; unclosed ones do not make a page deep.
_AUTO_CLOSED = frozenset(
    {"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup", "colgroup",
     "caption", "rb", "rt", "rp", "rtc", "head", "body", "html", "area", "base", "br", "col", "embed", "hr",
     "img", "input", "link", "meta", "param", "source", "track", "wbr", "keygen", "basefont", "frame"}
)


class _Bounds(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.elements = 0

    def handle_starttag(self, tag, attrs):
        self.elements += 1
        if self.elements > HTML_MAX_ELEMENTS:
            raise ParseError(f"HTML has more than {HTML_MAX_ELEMENTS} elements; refused as too large to parse")
        if tag not in _AUTO_CLOSED:
            self.open.append(tag)
            if len(self.open) > HTML_MAX_DEPTH:
                raise ParseError(f"HTML nested more than {HTML_MAX_DEPTH} elements deep; refused (a nesting bomb?)")

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass


def markup_check(text: str) -> None:
    """Raise ``ParseError`` if ``text`` nests deeper than :data:`HTML_MAX_DEPTH` or has
    more than :data:`HTML_MAX_ELEMENTS` elements; linear time, no tree built."""
    bounds = _Bounds()
    bounds.feed(text)
    bounds.close()


def _skipped(tag: Tag) -> bool:
    if tag.name in _DROPPED_TAGS:
        return True
    if tag.name in {"header", "footer"} and tag.find_parent(["article", "main"]) is None:
        return True  # site banner / footer, not an article's own header
    if tag.has_attr("hidden") or tag.get("aria-hidden") == "true":
        return True
    if tag.get("role") in _DROPPED_ROLES:
        return True
    return bool(_HIDDEN_STYLE.search(tag.get("style") or ""))


def _collapsed(text: str) -> str:
    return " ".join(text.split())


def _text_of(tag: Tag) -> str:
    parts: list[str] = []
    for node in tag.descendants:
        if (
            isinstance(node, NavigableString)
            and not isinstance(node, (Comment, Declaration, Doctype, ProcessingInstruction))
            and not _inside_skipped(node, root=tag)
        ):
            parts.append(str(node))
    return _collapsed(" ".join(parts))


def _inside_skipped(node: NavigableString, *, root: Tag) -> bool:
    for parent in node.parents:
        if parent is root:
            return False
        if _skipped(parent):
            return True
    return False


class _Walker:
    def __init__(self) -> None:
        self.builder = DocumentBuilder(media_type=TEXT_HTML)
        self.buffer: list[object] = []
        self.stack: list[tuple[int, str]] = []
        self.first_h1 = ""

    def _path(self) -> tuple[str, ...]:
        return tuple(text for _, text in self.stack)

    def flush(self) -> None:
        lines: list[str] = []
        current: list[str] = []
        for item in self.buffer + [_LINE_BREAK]:
            if item is _LINE_BREAK:
                lines.append(_collapsed("".join(current)))
                current = []
            else:
                current.append(str(item))
        self.buffer = []
        text = "\n".join(line for line in lines if line)
        if text:
            self.builder.add(text, heading_path=self._path(), kind="paragraph")

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, (Comment, Declaration, Doctype, ProcessingInstruction)):
                continue
            if isinstance(child, NavigableString):
                self.buffer.append(str(child))
                continue
            if not isinstance(child, Tag) or _skipped(child):
                continue
            name = child.name
            if name in _HEADINGS:
                self.flush()
                self._heading(_HEADINGS[name], _text_of(child))
            elif name == "pre":
                self.flush()
                self.builder.add(child.get_text(), heading_path=self._path(), kind="code")
            elif name == "table":
                self.flush()
                self.builder.add(_table_text(child), heading_path=self._path(), kind="table")
            elif name in {"ul", "ol"}:
                self.flush()
                self.builder.add("\n".join(_list_lines(child, 0)), heading_path=self._path(), kind="list")
            elif name == "br":
                self.buffer.append(_LINE_BREAK)
            elif name in _BLOCK_TAGS or name in {"header", "footer"}:
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.walk(child)

    def _heading(self, level: int, text: str) -> None:
        heading = heading_clean(text)
        if not heading:
            return
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, heading))
        if level == 1 and not self.first_h1:
            self.first_h1 = heading
        self.builder.add(text, heading_path=self._path(), kind="heading")


def _list_lines(tag: Tag, depth: int) -> list[str]:
    lines: list[str] = []
    ordered = tag.name == "ol"
    number = 0
    for item in tag.find_all("li", recursive=False):
        if _skipped(item):
            continue
        number += 1
        nested = [child for child in item.find_all(["ul", "ol"], recursive=False)]
        for child in nested:
            child.extract()
        marker = f"{number}." if ordered else "-"
        own = _text_of(item)
        if own:
            lines.append(f"{'  ' * depth}{marker} {own}")
        for child in nested:
            lines.extend(_list_lines(child, depth + 1))
    return lines


def _table_text(table: Tag) -> str:
    lines: list[str] = []
    if table.caption:
        lines.append(_text_of(table.caption))
    for row in table.find_all("tr"):
        cells = [_text_of(cell) for cell in row.find_all(["th", "td"], recursive=False)]
        if any(cells):
            lines.append(" | ".join(cells))
    return "\n".join(lines)
