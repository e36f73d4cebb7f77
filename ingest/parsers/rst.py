"""reStructuredText (and Django's ``docs/*.txt``) to sections.

Why not docutils: Django's docs are Sphinx documents. Plain docutils does not
know Sphinx roles and directives (``:setting:``, ``.. setting::``,
``.. versionadded::``, ``.. django-admin::``, ``.. code-block::``); it reports
them as errors and replaces their content with system messages, which loses
exactly the names users search for. Sphinx itself needs a whole project and
its extensions. What retrieval needs is much less than a full document tree:
headings (for ``heading_path``), block boundaries (for chunking) and the text
as written. This module is therefore a small line-oriented parser that knows
RST's block grammar (section titles, explicit markup, literal blocks, lists,
tables, indentation) and leaves inline markup as written.

Conventions:

* Section titles are detected by underline (and optional overline) of a
  repeated punctuation character; levels follow the order in which styles
  first appear, as in docutils.
* Object directives (``.. setting:: CSRF_COOKIE_AGE``, ``.. class::``,
  ``.. method::``, ``.. django-admin:: migrate`` ...) become one more level of
  ``heading_path`` and their line is kept in the text. A body-less object
  directive right before a title (Django's pattern in ``ref/settings.txt``)
  is a target for that title: it is kept with the title and adds no level.
  Signatures documented together (``.. method:: get()`` directly followed by
  ``.. method:: aget()``) share one level.
* Paragraphs ending in ``::`` keep their literal block; a ``code-block``
  directive after a paragraph ending in ``:`` is kept with that paragraph.
* Label lines (``.. _csrf-settings:``), comments and ``.. contents::`` are
  dropped; other directives (notes, version notes, toctrees) are kept whole.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from .base import DocumentBuilder, ParsedDocument, heading_clean
from .detect import TEXT_RST
from .plain import filename_stem

_ADORNMENT = re.compile(r"^([!-/:-@\[-`{-~])\1{2,}\s*$")
_DIRECTIVE = re.compile(r"^(\s*)\.\.\s+([A-Za-z][\w:.+-]*)::(?:\s+(.*))?$")
_LABEL = re.compile(r"^\s*(\.\.\s+_|__\s)")
_EXPLICIT = re.compile(r"^\s*\.\.(\s|$)")
_FOOTNOTE_OR_SUBSTITUTION = re.compile(r"^\s*\.\.\s+[\[|]")
_BULLET = re.compile(r"^\s*([-*+•‣⁃]|\d+[.)]|#\.|\(\d+\))\s+\S")
_GRID_TABLE = re.compile(r"^\s*\+[-=+]+\+\s*$")
_SIMPLE_TABLE_BORDER = re.compile(r"^\s*=+( +=+)+\s*$")
_ROLE = re.compile(r":[\w.:+-]+:`([^`]*)`")
_INLINE_TARGET = re.compile(r"^(.*?)\s*<[^<>]*>$", re.DOTALL)

# Object description directives -> rank within one indentation level. Rank 1
# objects nest under an open rank 0 object at the same indentation (Django
# writes ``.. django-admin-option::`` unindented after ``.. django-admin::``).
OBJECT_DIRECTIVES = {
    "setting": 0,
    "django-admin": 0,
    "class": 0,
    "exception": 0,
    "function": 0,
    "data": 0,
    "templatetag": 0,
    "templatefilter": 0,
    "fieldlookup": 0,
    "envvar": 0,
    "describe": 0,
    "object": 0,
    "method": 1,
    "attribute": 1,
    "classmethod": 1,
    "staticmethod": 1,
    "django-admin-option": 1,
    "option": 1,
}
CODE_DIRECTIVES = frozenset({"code-block", "code", "sourcecode", "console", "parsed-literal", "doctest"})
TABLE_DIRECTIVES = frozenset({"list-table", "csv-table", "table"})
# Sphinx bookkeeping without content a reader would search for.
DROPPED_DIRECTIVES = frozenset(
    {"contents", "index", "highlight", "image", "raw", "include", "literalinclude", "program"}
)


@dataclass
class _Block:
    text: str
    kind: str
    heading_path: tuple[str, ...]


@dataclass
class _OpenObject:
    label: str | None  # None when it repeats the enclosing heading
    indent: int
    rank: int
    has_body: bool
    header_block: int  # index in blocks of its directive line(s)


def rst_parse(*, text: str, filename: str) -> ParsedDocument:
    """Parse reStructuredText into a :class:`ParsedDocument`.

    ``title`` is the first section title (else the file name). Pure Python,
    linear in the number of lines; never raises on malformed markup (it is
    treated as paragraph text).
    """
    parser = _RstParser(text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(8).split("\n"))
    blocks = parser.run()
    builder = DocumentBuilder(media_type=TEXT_RST)
    for block in _code_joined(blocks):
        builder.add(block.text, heading_path=block.heading_path, kind=block.kind)
    return builder.build(title=parser.title or filename_stem(filename))


def inline_markup_strip(text: str) -> str:
    """``:setting:`DEBUG <x>``` -> ``DEBUG``; drops backquotes. For headings."""

    def role(match: re.Match[str]) -> str:
        inner = match.group(1)
        target = _INLINE_TARGET.match(inner)
        if target and target.group(1):
            return target.group(1)
        return inner.lstrip("~!")

    text = _ROLE.sub(role, text)
    text = re.sub(r"`([^`]*)`__?", lambda m: (_INLINE_TARGET.match(m.group(1)) or m).group(1), text)
    return text.replace("``", "").replace("`", "").replace("\\", "")


class _RstParser:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.n = len(lines)
        self.blocks: list[_Block] = []
        self.title = ""
        self._styles: list[tuple[str, bool]] = []
        self._headings: list[str] = []
        self._objects: list[_OpenObject] = []
        self._pending_target: str | None = None

    # -- helpers --------------------------------------------------------------
    def _blank(self, i: int) -> bool:
        return i >= self.n or not self.lines[i].strip()

    def _indent(self, i: int) -> int:
        line = self.lines[i]
        return len(line) - len(line.lstrip(" "))

    def _next_nonblank(self, i: int) -> int:
        while i < self.n and not self.lines[i].strip():
            i += 1
        return i

    def _path(self) -> tuple[str, ...]:
        return tuple(self._headings) + tuple(o.label for o in self._objects if o.label)

    def _emit(self, start: int, end: int, kind: str) -> None:
        # Dedent: a directive body reads as plain text; relative indentation
        # (code, nested lists) is kept.
        lines = self.lines[start:end]
        if kind != "code":  # a label inside a list item or note; code may show labels as examples
            lines = [line for line in lines if not _LABEL.match(line)]
        text = textwrap.dedent("\n".join(lines))
        if text.strip():
            self.blocks.append(_Block(text=text, kind=kind, heading_path=self._path()))

    def _indented_extent(self, i: int, indent: int) -> int:
        """End (exclusive) of the lines after ``i`` that are blank or indented
        deeper than ``indent``, without trailing blank lines."""
        end = i
        j = i
        while j < self.n:
            if self.lines[j].strip():
                if self._indent(j) <= indent:
                    break
                end = j + 1
            j += 1
        return end

    def _heading_at(self, i: int) -> tuple[int, str, tuple[str, bool]] | None:
        """(lines used, title text, style) if a section title starts at ``i``."""
        if i + 1 >= self.n:
            return None
        line = self.lines[i]
        over = _ADORNMENT.match(line)
        if over and i + 2 < self.n and self.lines[i + 1].strip():
            under = _ADORNMENT.match(self.lines[i + 2])
            if under and under.group(1) == over.group(1):
                return 3, self.lines[i + 1].strip(), (over.group(1), True)
        if line[:1].isspace() or over or _EXPLICIT.match(line):
            return None
        under = _ADORNMENT.match(self.lines[i + 1])
        if under:
            width = len(self.lines[i + 1].rstrip())
            if width >= len(line.rstrip()) or width >= 4:
                return 2, line.strip(), (under.group(1), False)
        return None

    # -- main loop ------------------------------------------------------------
    def run(self) -> list[_Block]:
        i = 0
        while True:
            i = self._next_nonblank(i)
            if i >= self.n:
                break
            indent = self._indent(i)
            self._objects = [o for o in self._objects if not (o.has_body and indent <= o.indent)]
            heading = self._heading_at(i) if indent == 0 or _ADORNMENT.match(self.lines[i]) else None
            if heading:
                i = self._heading(i, *heading)
            elif _ADORNMENT.match(self.lines[i]) and self._blank(i + 1):
                i += 1  # transition
            elif _LABEL.match(self.lines[i]):
                i = self._indented_extent(i + 1, indent)
            elif match := _DIRECTIVE.match(self.lines[i]):
                i = self._directive(i, indent, match.group(2).lower(), (match.group(3) or "").strip())
            elif _EXPLICIT.match(self.lines[i]) and not _FOOTNOTE_OR_SUBSTITUTION.match(self.lines[i]):
                i = self._indented_extent(i + 1, indent)  # comment
            elif _GRID_TABLE.match(self.lines[i]):
                end = i
                while end < self.n and self.lines[end].strip():
                    end += 1
                self._emit(i, end, "table")
                i = end
            elif _SIMPLE_TABLE_BORDER.match(self.lines[i]):
                i = self._simple_table(i)
            elif _BULLET.match(self.lines[i]):
                i = self._list(i, indent)
            else:
                i = self._paragraph(i, indent)
        return self.blocks

    def _heading(self, i: int, used: int, raw: str, style: tuple[str, bool]) -> int:
        if style not in self._styles:
            self._styles.append(style)
        level = min(self._styles.index(style), len(self._headings))
        clean = heading_clean(inline_markup_strip(raw)) or raw
        self._headings = self._headings[:level] + [clean]
        self._objects = []
        if not self.title:
            self.title = clean
        text = raw
        if self._pending_target is not None:
            text = self._pending_target + "\n\n" + raw
            self._pending_target = None
        self.blocks.append(_Block(text=text, kind="heading", heading_path=self._path()))
        return i + used

    def _directive(self, i: int, indent: int, name: str, argument: str) -> int:
        end = self._indented_extent(i + 1, indent)
        name = name.split(":")[-1] if name.startswith(("py:", "std:", "js:", "c:")) else name
        if name in DROPPED_DIRECTIVES:
            return end
        if name in OBJECT_DIRECTIVES:
            return self._object(i, indent, name, argument, end)
        kind = "code" if name in CODE_DIRECTIVES else "table" if name in TABLE_DIRECTIVES else "paragraph"
        self._emit(i, end, kind)
        return end

    def _object(self, i: int, indent: int, name: str, argument: str, end: int) -> int:
        # Header: the directive line plus options and continued signatures.
        header_end = i + 1
        while header_end < end and self.lines[header_end].strip():
            header_end += 1
        has_body = self._next_nonblank(header_end) < end
        label = heading_clean(_object_label(argument)) or name
        following = self._next_nonblank(end)
        while following < self.n and _LABEL.match(self.lines[following]):
            following = self._next_nonblank(self._indented_extent(following + 1, 0))
        if not has_body and indent == 0 and following < self.n and self._heading_at(following):
            header = "\n".join(self.lines[i:header_end])
            self._pending_target = header if self._pending_target is None else self._pending_target + "\n\n" + header
            return end
        rank = OBJECT_DIRECTIVES[name]
        last = self._objects[-1] if self._objects else None
        if (
            last is not None
            and (last.indent, last.rank) == (indent, rank)
            and last.header_block == len(self.blocks) - 1
        ):
            # Signatures documented together (``.. method:: get()`` then
            # ``.. method:: aget()``): one object, one heading level.
            last.label = None if last.label is None else f"{last.label} / {label}"
            last.has_body = has_body
            self._emit(i, header_end, "heading")
            return header_end
        self._objects = [o for o in self._objects if o.indent < indent or (o.indent == indent and o.rank < rank)]
        enclosing = self._path()
        # A ``get()`` heading followed by ``.. method:: get`` names it once.
        repeats_heading = bool(enclosing) and enclosing[-1].removesuffix("()") == label
        self._objects.append(
            _OpenObject(None if repeats_heading else label, indent, rank, has_body, header_block=len(self.blocks))
        )
        self._emit(i, header_end, "heading")
        return header_end

    def _simple_table(self, i: int) -> int:
        borders = 0
        j = i
        while j < self.n and self.lines[j].strip():
            if _SIMPLE_TABLE_BORDER.match(self.lines[j]):
                borders += 1
                if borders >= 2 and self._blank(j + 1):
                    j += 1
                    break
            j += 1
        # Simple tables may hold blank lines inside rows; stop at the closing border.
        self._emit(i, j, "table")
        return j

    def _list(self, i: int, indent: int) -> int:
        j = i
        end = i
        while j < self.n:
            if self.lines[j].strip():
                end = j + 1
                j += 1
                continue
            k = self._next_nonblank(j)
            if k >= self.n:
                break
            k_indent = self._indent(k)
            if k_indent > indent or (k_indent == indent and _BULLET.match(self.lines[k])):
                j = k
                continue
            break
        self._emit(i, end, "list")
        return end

    def _paragraph(self, i: int, indent: int) -> int:
        j = i
        while j < self.n and self.lines[j].strip():
            j += 1
        kind = "paragraph"
        if self.lines[j - 1].rstrip().endswith("::"):
            literal_end = self._indented_extent(j, indent)
            if literal_end > j:
                j = literal_end
                kind = "code"
        self._emit(i, j, kind)
        return j


def _object_label(argument: str) -> str:
    """The object's name without its signature: ``migrate [app_label]`` ->
    ``migrate``, ``QuerySet.filter(*args)`` -> ``QuerySet.filter``,
    ``--database DATABASE`` -> ``--database``."""
    return re.split(r"[\s\[(]", argument.strip(), maxsplit=1)[0]


def _code_joined(blocks: list[_Block]) -> list[_Block]:
    """Join a code directive to the paragraph before it when that paragraph
    introduces it (ends with ``:``) under the same heading."""
    out: list[_Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if (
            block.kind == "code"
            and previous is not None
            and previous.kind == "paragraph"
            and previous.heading_path == block.heading_path
            and previous.text.rstrip().endswith(":")
        ):
            out[-1] = _Block(text=previous.text + "\n\n" + block.text, kind="code", heading_path=block.heading_path)
        else:
            out.append(block)
    return out
