"""Media type detection from the file name *and* the bytes.

The extension says what the uploader claims; the bytes say what the file is.
We accept a file only when both agree, so a ``report.pdf`` that is really an
HTML error page fails with a clear reason instead of parsing to garbage.
Binary formats are sniffed with the ``filetype`` library (magic numbers);
text formats must decode as UTF-8 (with or without BOM) or BOM-marked UTF-16.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from pathlib import PurePath

import filetype

from .base import ParseError, UnsupportedType

TEXT_PLAIN = "text/plain"
TEXT_MARKDOWN = "text/markdown"
TEXT_RST = "text/x-rst"
TEXT_HTML = "text/html"
APPLICATION_PDF = "application/pdf"
APPLICATION_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

MEDIA_TYPE_BY_EXTENSION = {
    ".txt": TEXT_PLAIN,
    ".md": TEXT_MARKDOWN,
    ".markdown": TEXT_MARKDOWN,
    ".rst": TEXT_RST,
    ".html": TEXT_HTML,
    ".htm": TEXT_HTML,
    ".pdf": APPLICATION_PDF,
    ".docx": APPLICATION_DOCX,
}
SUPPORTED_EXTENSIONS = frozenset(MEDIA_TYPE_BY_EXTENSION)
TEXT_MEDIA_TYPES = frozenset({TEXT_PLAIN, TEXT_MARKDOWN, TEXT_RST, TEXT_HTML})

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.msg
# Control characters that never occur in real text files (tab, newline,
# carriage return, form feed and escape do).
_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_RST_UNDERLINE = re.compile(r"^(\S[^\n]*)\n([=\-~^\"'`#*+_.:])\2{2,}[ \t]*$", re.MULTILINE)
_RST_DIRECTIVE = re.compile(r"^\.\. [A-Za-z][\w:-]*::", re.MULTILINE)


def media_type_detect(*, data: bytes, filename: str) -> str:
    """Return the media type of ``data``, checking the name against the bytes.

    Returns one of ``text/plain``, ``text/markdown``, ``text/x-rst`` (also
    for ``.txt`` files with reStructuredText headings or directives, as in
    Django's docs), ``text/html``, ``application/pdf`` or the DOCX type.
    A file without a known extension is accepted only if its bytes are a PDF
    or a DOCX.

    Raises ``ParseError("empty file")`` for no bytes, ``ParseError`` when the
    bytes contradict the extension (a ``.pdf`` that is not a PDF, a ``.docx``
    that is not a Word zip, binary data named ``.txt``), and
    ``UnsupportedType`` for any other type.
    """
    if not data:
        raise ParseError("empty file")
    name = PurePath(filename).name or filename
    extension = PurePath(name.lower()).suffix
    claimed = MEDIA_TYPE_BY_EXTENSION.get(extension)
    if claimed is None:
        if _is_pdf(data):
            return APPLICATION_PDF
        if _is_docx_zip(data):
            return APPLICATION_DOCX
        shown = f"'{extension}'" if extension else "(no extension)"
        raise UnsupportedType(
            f"unsupported file type {shown} for {name}; supported: " + ", ".join(sorted(SUPPORTED_EXTENSIONS))
        )
    if claimed == APPLICATION_PDF:
        if not _is_pdf(data):
            raise ParseError(f"{name} is not a PDF: its content looks like {_describe(data)}")
        return claimed
    if claimed == APPLICATION_DOCX:
        _docx_check(data, name=name)
        return claimed
    text = text_decode(data, filename=name)
    if claimed == TEXT_PLAIN and rst_structure_present(text):
        return TEXT_RST
    return claimed


def text_decode(data: bytes, *, filename: str) -> str:
    """Decode a text file: UTF-8 (BOM optional) or UTF-16 with a BOM.

    Raises ``ParseError`` for bytes that are not text (NUL or other binary
    control characters, a PDF header, invalid UTF-8), naming what the content
    looks like when ``filetype`` recognises it.
    """
    if not data:
        raise ParseError("empty file")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ParseError(f"{filename} is not valid UTF-16 text: {exc.reason}") from exc
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ParseError(f"{filename} is not UTF-8 text: its content looks like {_describe(data)}") from exc
    if _BINARY_CONTROL.search(text) or text.lstrip().startswith("%PDF-"):
        raise ParseError(f"{filename} is not text: its content looks like {_describe(data)}")
    if not text.strip():
        raise ParseError("empty file")
    return text


def rst_structure_present(text: str) -> bool:
    """True when ``text`` has a reStructuredText heading underline (at least
    as long as its title) or an explicit directive such as ``.. note::``."""
    if _RST_DIRECTIVE.search(text):
        return True
    return any(
        len(m.group(0).split("\n", 1)[1].rstrip()) >= len(m.group(1).rstrip()) for m in _RST_UNDERLINE.finditer(text)
    )


def _is_pdf(data: bytes) -> bool:
    # The PDF spec allows junk before the header; pypdf accepts it within 1 KiB.
    guess = filetype.guess(data)
    return (guess is not None and guess.mime == APPLICATION_PDF) or b"%PDF-" in data[:1024]


def _is_docx_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _docx_check(data: bytes, *, name: str) -> None:
    if data.startswith(_OLE_MAGIC):
        raise ParseError(f"{name} is a legacy Word 97-2003 (.doc) file, not .docx; save it as .docx and upload again")
    if not data.startswith(b"PK"):
        raise ParseError(f"{name} is not a DOCX: its content looks like {_describe(data)}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        # A damaged zip: let python-docx report the corruption when parsing.
        return
    if "word/document.xml" not in names:
        raise ParseError(f"{name} is not a DOCX: it is a ZIP archive without word/document.xml")


def _describe(data: bytes) -> str:
    guess = filetype.guess(data)
    if guess is not None:
        return f"{guess.mime} (.{guess.extension})"
    if data.lstrip()[:5] == b"%PDF-":
        return "a PDF"
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "an HTML page"
    try:
        # Incremental so that a character cut at the 4 KiB boundary is not an error.
        codecs.getincrementaldecoder("utf-8")().decode(data[:4096], final=False)
    except UnicodeDecodeError:
        return "binary data of an unknown type"
    return "plain text"
