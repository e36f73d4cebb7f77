"""Turn uploaded bytes into text with structure, ready for chunking.

Pure functions: no Django, no database. ``document_parse`` detects the media
type from the file name and the bytes, then dispatches to one parser per
type, in a forked child bounded in time and memory (:mod:`.limits`). Parsers
are imported lazily so that, e.g., parsing Markdown does not import pypdf.
Every failure surfaces as :class:`ParseError` with a reason a user can act
on; library exceptions never escape.
"""

from __future__ import annotations

import importlib
import logging

from .base import ParsedDocument, ParseError, Section, UnsupportedType
from .detect import (
    APPLICATION_DOCX,
    APPLICATION_JSON,
    APPLICATION_MSG,
    APPLICATION_ODP,
    APPLICATION_ODS,
    APPLICATION_ODT,
    APPLICATION_PDF,
    APPLICATION_PPTX,
    APPLICATION_XLSX,
    APPLICATION_YAML,
    MESSAGE_RFC822,
    SUPPORTED_EXTENSIONS,
    TEXT_CSV,
    TEXT_HTML,
    TEXT_MARKDOWN,
    TEXT_MEDIA_TYPES,
    TEXT_PLAIN,
    TEXT_RST,
    media_type_detect,
    text_decode,
)
from .limits import parse_bounded

__all__ = [
    "ParseError",
    "UnsupportedType",
    "Section",
    "ParsedDocument",
    "SUPPORTED_EXTENSIONS",
    "media_type_detect",
    "document_parse",
]

logger = logging.getLogger(__name__)

# media type -> "module:function"; text parsers take ``text=``, binary ones ``data=``.
PARSERS = {
    TEXT_PLAIN: "ingest.parsers.plain:plain_parse",
    TEXT_RST: "ingest.parsers.rst:rst_parse",
    TEXT_MARKDOWN: "ingest.parsers.markdown:markdown_parse",
    TEXT_HTML: "ingest.parsers.html:html_parse",
    APPLICATION_PDF: "ingest.parsers.pdf:pdf_parse",
    APPLICATION_DOCX: "ingest.parsers.word:docx_parse",
    APPLICATION_PPTX: "ingest.parsers.slides:pptx_parse",
    APPLICATION_XLSX: "ingest.parsers.sheets:xlsx_parse",
    TEXT_CSV: "ingest.parsers.sheets:csv_parse",
    APPLICATION_ODT: "ingest.parsers.odf:odf_parse",
    APPLICATION_ODS: "ingest.parsers.odf:odf_parse",
    APPLICATION_ODP: "ingest.parsers.odf:odf_parse",
    MESSAGE_RFC822: "ingest.parsers.mail:eml_parse",
    APPLICATION_MSG: "ingest.parsers.mail:msg_parse",
    APPLICATION_JSON: "ingest.parsers.structured:json_parse",
    APPLICATION_YAML: "ingest.parsers.structured:yaml_parse",
}


def document_parse(*, data: bytes, filename: str) -> ParsedDocument:
    """Parse one file into a :class:`ParsedDocument`, bounded in time and memory.

    ``data`` is the file's bytes; ``filename`` is its name or relative path
    (the extension is used for detection, the stem as a fallback title).
    Returns text normalized to NFC with ``\\n`` newlines, whose sections'
    offsets are exact code-point offsets into ``text``.

    Raises ``UnsupportedType`` for unknown types and ``ParseError`` for
    empty, mislabelled, encrypted, corrupt or text-less files, for a parse
    over the deadline or memory bound (:mod:`ingest.parsers.limits`). Any
    other exception from a parsing library is wrapped in ``ParseError``.
    """
    try:
        media_type = media_type_detect(data=data, filename=filename)  # cheap refusals without a fork
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001 - detection reads hostile bytes too; never crash the worker
        raise ParseError(f"could not identify the type of {filename}: {type(exc).__name__}") from exc
    # Import the parser (for mail: every parser, attachments may be anything) here, once: what
    # the child imports dies with it, and pdfplumber alone takes most of a second to import.
    for target in PARSERS.values() if media_type in (MESSAGE_RFC822, APPLICATION_MSG) else [PARSERS[media_type]]:
        importlib.import_module(target.split(":")[0])
    return parse_bounded(lambda: document_parse_unbounded(data=data, filename=filename))


def document_parse_unbounded(*, data: bytes, filename: str) -> ParsedDocument:
    """:func:`document_parse` in this process, without the deadline; for parsers that
    parse what they contain (mail attachments), which already run inside the bound."""
    media_type = media_type_detect(data=data, filename=filename)
    module_name, function_name = PARSERS[media_type].split(":")
    parse = getattr(importlib.import_module(module_name), function_name)
    try:
        if media_type in TEXT_MEDIA_TYPES:
            parsed = parse(text=text_decode(data, filename=filename), filename=filename)
        else:
            parsed = parse(data=data, filename=filename)
    except ParseError:
        raise
    except RecursionError as exc:
        raise ParseError(f"could not parse {filename}: structure nested too deeply") from exc
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - the contract: only ParseError leaves this function
        logger.warning("parser for %s failed on %s", media_type, filename, exc_info=True)
        raise ParseError(f"could not parse {filename} as {media_type}: {exc or type(exc).__name__}") from exc
    if not parsed.sections:
        raise ParseError("no text found in the file (empty, or only whitespace, comments or markup)")
    return parsed
