"""Media type detection from the file name *and* the bytes.

The extension says what the uploader claims; the bytes say what the file is.
We accept a file only when both agree, so a ``report.pdf`` that is really an
HTML error page fails with a clear reason instead of parsing to garbage.
Binary formats are sniffed with the ``filetype`` library (magic numbers) and
zip packages by their manifest (``[Content_Types].xml``, ODF ``mimetype``), so a
deck renamed ``.docx`` is still read as a deck. Text is decoded by
:mod:`ingest.parsers.encoding` (BOMs, UTF-8, UTF-16/32 without BOM, then
charset-normalizer).
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
APPLICATION_PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
APPLICATION_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
APPLICATION_ODT = "application/vnd.oasis.opendocument.text"
APPLICATION_ODS = "application/vnd.oasis.opendocument.spreadsheet"
APPLICATION_ODP = "application/vnd.oasis.opendocument.presentation"
APPLICATION_MSG = "application/vnd.ms-outlook"
MESSAGE_RFC822 = "message/rfc822"
TEXT_CSV = "text/csv"
APPLICATION_JSON = "application/json"
APPLICATION_YAML = "application/yaml"

MEDIA_TYPE_BY_EXTENSION = {
    ".txt": TEXT_PLAIN,
    ".md": TEXT_MARKDOWN,
    ".markdown": TEXT_MARKDOWN,
    ".rst": TEXT_RST,
    ".html": TEXT_HTML,
    ".htm": TEXT_HTML,
    ".pdf": APPLICATION_PDF,
    ".docx": APPLICATION_DOCX,
    ".pptx": APPLICATION_PPTX,
    ".xlsx": APPLICATION_XLSX,
    ".xlsm": APPLICATION_XLSX,
    ".odt": APPLICATION_ODT,
    ".ods": APPLICATION_ODS,
    ".odp": APPLICATION_ODP,
    ".eml": MESSAGE_RFC822,
    ".msg": APPLICATION_MSG,
    ".csv": TEXT_CSV,
    ".tsv": TEXT_CSV,
    ".json": APPLICATION_JSON,
    ".yaml": APPLICATION_YAML,
    ".yml": APPLICATION_YAML,
}
SUPPORTED_EXTENSIONS = frozenset(MEDIA_TYPE_BY_EXTENSION)
TEXT_MEDIA_TYPES = frozenset(
    {TEXT_PLAIN, TEXT_MARKDOWN, TEXT_RST, TEXT_HTML, TEXT_CSV, APPLICATION_JSON, APPLICATION_YAML}
)
ZIP_MEDIA_TYPES = frozenset(
    {APPLICATION_DOCX, APPLICATION_PPTX, APPLICATION_XLSX, APPLICATION_ODT, APPLICATION_ODS, APPLICATION_ODP}
)
# The main part that names an OOXML package's type in [Content_Types].xml.
_OOXML_MAIN = {
    b"wordprocessingml.document.main": APPLICATION_DOCX,
    b"wordprocessingml.template.main": APPLICATION_DOCX,
    b"presentationml.presentation.main": APPLICATION_PPTX,
    b"presentationml.slideshow.main": APPLICATION_PPTX,
    b"spreadsheetml.sheet.main": APPLICATION_XLSX,
    b"ms-excel.sheet.macroEnabled.main": APPLICATION_XLSX,
}
_ODF_TYPES = {APPLICATION_ODT, APPLICATION_ODS, APPLICATION_ODP}
_LEGACY_NAME = {
    ".docx": "Word 97-2003 (.doc) file, not .docx",
    ".pptx": "PowerPoint 97-2003 (.ppt) file, not .pptx",
    ".xlsx": "Excel 97-2003 (.xls) file, not .xlsx",
}
_ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.msg
# Control characters that never occur in real text files (tab, newline,
# carriage return, form feed and escape do).
_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_RST_UNDERLINE = re.compile(r"^(\S[^\n]*)\n([=\-~^\"'`#*+_.:])\2{2,}[ \t]*$", re.MULTILINE)
_RST_DIRECTIVE = re.compile(r"^\.\. [A-Za-z][\w:-]*::", re.MULTILINE)


def media_type_detect(*, data: bytes, filename: str) -> str:
    """Return the media type of ``data``, checking the name against the bytes.

    Returns one of the types in ``MEDIA_TYPE_BY_EXTENSION`` (``text/x-rst``
    also for ``.txt`` files with reStructuredText headings or directives).
    Office packages are typed by their manifest, not their name: a deck named
    ``.docx`` is read as a deck. A file without a known extension is accepted
    only if its bytes are a PDF or an Office package.

    Raises ``ParseError("empty file")`` for no bytes, ``ParseError`` when the
    bytes contradict the extension (a ``.pdf`` that is not a PDF, a ``.docx``
    that is not an Office zip, binary data named ``.txt``), "encrypted ..." for
    password-protected Office files, and ``UnsupportedType`` for any other type.
    """
    if not data:
        raise ParseError("empty file")
    name = PurePath(filename).name or filename
    extension = PurePath(name.lower()).suffix
    claimed = MEDIA_TYPE_BY_EXTENSION.get(extension)
    if data.startswith(_OLE_MAGIC) and _ENCRYPTED_OOXML in data:
        raise ParseError(f"encrypted Office file: {name} is password-protected; upload an unprotected copy")
    if claimed is None:
        if _is_pdf(data):
            return APPLICATION_PDF
        if (found := _zip_type(data)) is not None:
            return found
        shown = f"'{extension}'" if extension else "(no extension)"
        raise UnsupportedType(
            f"unsupported file type {shown} for {name}; supported: " + ", ".join(sorted(SUPPORTED_EXTENSIONS))
        )
    if claimed == APPLICATION_PDF:
        if not _is_pdf(data):
            raise ParseError(f"{name} is not a PDF: its content looks like {_describe(data)}")
        return claimed
    if claimed in ZIP_MEDIA_TYPES:
        return _package_check(data, name=name, claimed=claimed)
    if claimed == APPLICATION_MSG:
        if not data.startswith(_OLE_MAGIC):
            raise ParseError(f"{name} is not an Outlook message: its content looks like {_describe(data)}")
        return claimed
    if _is_pdf(data) and data.lstrip()[:5] == b"%PDF-":
        return APPLICATION_PDF  # a PDF saved with the wrong name
    text = text_decode(data, filename=name)
    if claimed == TEXT_PLAIN and rst_structure_present(text):
        return TEXT_RST
    return claimed


def text_decode(data: bytes, *, filename: str) -> str:
    """Decode a text file in whatever encoding it is in (see :func:`ingest.parsers.encoding.bytes_decode`).

    Raises ``ParseError`` for bytes that are not text (binary control
    characters, a PDF header, no plausible encoding), naming what the content
    looks like when ``filetype`` recognises it, and "empty file" for files of
    only whitespace (Unicode spaces and zero-width characters included).
    """
    from .encoding import bytes_decode

    if not data:
        raise ParseError("empty file")
    text = bytes_decode(data, html=PurePath(filename.lower()).suffix in {".html", ".htm"})
    if text is None or _BINARY_CONTROL.search(text) or text.lstrip().startswith("%PDF-"):
        raise ParseError(f"{filename} is not text: its content looks like {_describe(data)}")
    if not _INVISIBLE.sub("", text).strip():
        raise ParseError("empty file: only whitespace")
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


def _zip_type(data: bytes) -> str | None:
    """The Office type a zip declares in its manifest, or None."""
    if not data.startswith(b"PK"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return declared if declared in _ODF_TYPES else None
            if "[Content_Types].xml" in names:
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size > 1024**2:
                    return None
                manifest = archive.read(info)
                for marker, media_type in _OOXML_MAIN.items():
                    if marker in manifest:
                        return media_type
            if "word/document.xml" in names:
                return APPLICATION_DOCX
    except Exception:  # noqa: BLE001 - hostile input: zipfile and zlib raise many types (zlib.error,
        return None    # NotImplementedError for unknown versions...); not a readable package is the answer
    return None


def _package_check(data: bytes, *, name: str, claimed: str) -> str:
    extension = PurePath(name.lower()).suffix
    if data.startswith(_OLE_MAGIC):
        legacy = _LEGACY_NAME.get(extension, f"Office 97-2003 file, not {extension}")
        raise ParseError(f"{name} is a legacy {legacy}; save it as {extension} and upload again")
    if not data.startswith(b"PK"):
        raise ParseError(f"{name} is not a {extension.lstrip('.').upper()}: its content looks like {_describe(data)}")
    found = _zip_type(data)
    if found is not None:
        return found
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.namelist()
    except Exception:  # noqa: BLE001 - any failure to list a damaged zip (zlib.error, unknown versions...)
        return claimed  # a damaged zip: the parser reports the corruption
    if claimed == APPLICATION_DOCX:
        raise ParseError(f"{name} is not a DOCX: it is a ZIP archive without word/document.xml")
    raise ParseError(f"{name} is not a {extension.lstrip('.').upper()}: it is a ZIP archive of another kind")


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
