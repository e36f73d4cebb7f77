"""Text bytes to ``str`` in the encodings people actually have.

Order: a byte-order mark (UTF-8/16/32); strict UTF-8 (valid non-ASCII UTF-8
is almost never an accident); UTF-16/32 without a BOM, recognised by the zero
bytes that ASCII-range characters leave at every other (or every fourth)
position; an HTML ``<meta charset>`` when decoding with it is as clean as
the detector's best guess; then charset-normalizer's best guess.
Returns None for bytes no encoding makes into plausible text (binary).
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_DETECT_SAMPLE = 256 * 1024  # bytes charset-normalizer looks at; enough for any real text file
_CHAOS_SLACK = 0.05


def bytes_decode(data: bytes, *, html: bool = False) -> str | None:
    """Decode ``data``; ``html`` honours a ``<meta charset>`` when it is right.

    Returns the text (without BOM), or None when the bytes are not text.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if (wide := _wide_unicode(data)) is not None:
        return wide
    if b"\x00" in data[:_DETECT_SAMPLE]:
        return None  # NUL bytes in a non-UTF-16/32 file: binary
    sample = data[:_DETECT_SAMPLE]
    matches = from_bytes(sample)
    best = matches.best()
    if best is not None:
        # Short Western text fits several code pages equally well; the commonest one wins a tie.
        tied = [m for m in matches if m.encoding == "cp1252" and m.chaos <= best.chaos and
                m.coherence >= best.coherence - 0.01]
        best = tied[0] if tied else best
    if html and (declared := _declared_charset(data)) is not None:
        text = _decode_or_none(data, declared)
        if text is not None and (best is None or _chaos(sample, declared) <= best.chaos + _CHAOS_SLACK):
            return text
    if best is None:
        return None
    return _decode_or_none(data, best.encoding)


def _wide_unicode(data: bytes) -> str | None:
    """UTF-32 or UTF-16 without a BOM, told by where the zero bytes sit."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    for width, encodings in ((4, ("utf-32-le", "utf-32-be")), (2, ("utf-16-le", "utf-16-be"))):
        if len(data) % width:
            continue
        units = [sample[i : i + width] for i in range(0, len(sample) - width + 1, width)]
        for encoding in encodings:
            little = encoding.endswith("le")
            # In text mostly below U+0100, the high bytes of each unit are zero.
            high = (lambda u: u[1:]) if little else (lambda u: u[:-1])
            low = (lambda u: u[0]) if little else (lambda u: u[-1])
            zero_high = sum(1 for unit in units if not any(high(unit)) and low(unit))
            if zero_high >= 0.6 * len(units):
                text = _decode_or_none(data, encoding)
                if text is not None and "\x00" not in text:
                    return text
    return None


def _declared_charset(data: bytes) -> str | None:
    found = _META_CHARSET.search(data[:4096])
    if not found:
        return None
    name = found.group(1).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _chaos(sample: bytes, encoding: str) -> float:
    match = from_bytes(sample, cp_isolation=[encoding]).best()
    return 1.0 if match is None else match.chaos


def _decode_or_none(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
