"""E-mail (.eml via the stdlib ``email`` package, .msg via extract-msg) to sections.

The heading path starts with the subject. The first section is the header
block (From, To, Cc, Date, Subject); then the body: the text/plain part, or
the text/html part through the same sanitizing extraction as ``.html``
files (visible text only; scripts, styles and remote content never become
text). Each attachment is parsed with the same parsers, its sections placed
under ``<subject> > attachment "offer.pdf"`` with their own headings and
pages. A mail attached to a mail is followed :data:`MAIL_MAX_DEPTH` levels
deep, and at most :data:`MAIL_MAX_ATTACHMENTS` attachments and
:data:`MAIL_MAX_ATTACHMENT_BYTES` bytes are read per message; anything
skipped or unreadable gets a visible note with the reason.
"""

from __future__ import annotations

import contextvars
import email
import email.policy
import io
from dataclasses import dataclass

from .base import DocumentBuilder, ParsedDocument, ParseError, heading_clean
from .detect import APPLICATION_MSG, MESSAGE_RFC822
from .limits import MAIL_MAX_ATTACHMENT_BYTES, MAIL_MAX_ATTACHMENTS, MAIL_MAX_DEPTH
from .plain import filename_stem

_HEADERS = ("From", "To", "Cc", "Date", "Subject")
_depth: contextvars.ContextVar[int] = contextvars.ContextVar("mail_depth", default=0)


@dataclass
class _Mail:
    headers: list[tuple[str, str]]
    plain: str
    html: str
    attachments: list[tuple[str, bytes]]


def eml_parse(*, data: bytes, filename: str) -> ParsedDocument:
    """Parse an RFC 5322 message. Raises ``ParseError`` for bytes with no headers."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not message.keys():
        raise ParseError(f"{filename} is not an e-mail: it has no headers")
    plain = html = ""
    attachments: list[tuple[str, bytes]] = []
    for part in _leaves(message):
        content_type = part.get_content_type()
        name = part.get_filename()
        inline = part.get_content_disposition() != "attachment" and name is None
        if inline and content_type == "text/plain" and not plain:
            plain = _content(part)
        elif inline and content_type == "text/html" and not html:
            html = _content(part)
        elif name or content_type == "message/rfc822":
            payload = part.get_payload(decode=True)
            if payload is None and content_type == "message/rfc822":
                inner = part.get_payload()
                payload = (inner[0] if isinstance(inner, list) else inner).as_bytes()
            attachments.append((name or "attached message.eml", payload or b""))
    headers = [(key, " ".join(str(message.get(key, "")).split())) for key in _HEADERS if message.get(key)]
    return _build(_Mail(headers, plain, html, attachments), media_type=MESSAGE_RFC822, filename=filename)


def msg_parse(*, data: bytes, filename: str) -> ParsedDocument:
    """Parse an Outlook .msg. Raises ``ParseError("corrupt MSG: ...")`` when
    extract-msg cannot open it, "encrypted MSG" for S/MIME-encrypted ones."""
    import extract_msg

    try:
        message = extract_msg.openMsg(io.BytesIO(data), delayAttachments=False)
    except Exception as exc:  # noqa: BLE001 - extract-msg raises many types for bad files
        raise ParseError(f"corrupt MSG: {exc or type(exc).__name__}") from exc
    try:
        if getattr(message, "isEncrypted", False):
            raise ParseError("encrypted MSG: the message is encrypted; export it unencrypted")
        headers = [
            ("From", message.sender or ""), ("To", message.to or ""), ("Cc", message.cc or ""),
            ("Date", str(message.date or "")), ("Subject", message.subject or ""),
        ]
        html_body = message.htmlBody or b""
        html = html_body.decode("utf-8", "replace") if isinstance(html_body, bytes) else str(html_body)
        attachments = []
        for attachment in getattr(message, "attachments", []):
            payload = attachment.data
            name = attachment.getFilename() if hasattr(attachment, "getFilename") else attachment.longFilename
            if isinstance(payload, bytes):
                attachments.append((name or "attachment", payload))
            elif payload is not None and hasattr(payload, "exportBytes"):
                attachments.append((f"{name or 'attached message'}.msg", payload.exportBytes()))
        mail = _Mail([(k, " ".join(v.split())) for k, v in headers if v.strip()], message.body or "", html,
                     attachments)
    finally:
        message.close()
    return _build(mail, media_type=APPLICATION_MSG, filename=filename)


def _leaves(message):
    """The message's parts in order, not descending into attached messages (those are
    parsed as attachments, one nesting level each)."""
    if message.get_content_type() == "message/rfc822" or not message.is_multipart():
        yield message
        return
    for part in message.iter_parts():
        yield from _leaves(part)


def _content(part) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeError, ValueError):
        return (part.get_payload(decode=True) or b"").decode("utf-8", "replace")


def _build(mail: _Mail, *, media_type: str, filename: str) -> ParsedDocument:
    from . import document_parse_unbounded
    from .html import html_sections

    subject = heading_clean(dict(mail.headers).get("Subject", "")) or filename_stem(filename)
    root = (subject,)
    builder = DocumentBuilder(media_type=media_type)
    builder.add("\n".join(f"{key}: {value}" for key, value in mail.headers), heading_path=root, kind="paragraph")
    if mail.plain.strip():
        builder.add(mail.plain, heading_path=root, kind="paragraph")
    elif mail.html.strip():
        for section in html_sections(mail.html):
            builder.add(section.text, heading_path=root + section.heading_path, kind=section.kind)
    depth = _depth.get()
    budget = MAIL_MAX_ATTACHMENT_BYTES
    for index, (name, payload) in enumerate(mail.attachments):
        where = root + (f'attachment "{heading_clean(name)}"',)
        if index >= MAIL_MAX_ATTACHMENTS:
            builder.note(f"{len(mail.attachments) - index} more attachments not read (limit {MAIL_MAX_ATTACHMENTS})",
                         heading_path=root)
            break
        if depth + 1 > MAIL_MAX_DEPTH:
            builder.note(f'attachment "{name}" not read: mail nested more than {MAIL_MAX_DEPTH} levels deep',
                         heading_path=where)
            continue
        if len(payload) > budget:
            builder.note(f'attachment "{name}" not read: over the {MAIL_MAX_ATTACHMENT_BYTES // 1024**2} MiB '
                         "attachment limit", heading_path=where)
            continue
        budget -= len(payload)
        token = _depth.set(depth + 1)
        try:
            inner = document_parse_unbounded(data=payload, filename=name)
        except ParseError as exc:
            builder.note(f'attachment "{name}" not read: {exc}', heading_path=where)
            continue
        finally:
            _depth.reset(token)
        for section in inner.sections:
            builder.add(section.text, heading_path=where + section.heading_path, kind=section.kind,
                        page=section.page)
        builder.notes_extend([f'attachment "{name}": {note}' for note in inner.notes])
    return builder.build(title=subject)
