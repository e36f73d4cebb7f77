"""``{% load fallback %}``: show redacted text with its placeholders highlighted."""
from __future__ import annotations

import json

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from rag.privacy.redaction import PLACEHOLDER_RE

register = template.Library()


@register.filter
def placeholders_marked(text: str) -> SafeString:
    """Escape ``text`` and wrap every ``<TYPE_n>`` placeholder in ``<mark class="redacted">``."""
    text = str(text or "")
    out, pos = [], 0
    for m in PLACEHOLDER_RE.finditer(text):
        out.append(conditional_escape(text[pos:m.start()]))
        out.append(f'<mark class="redacted" title="{m["type"]}">{conditional_escape(m.group())}</mark>')
        pos = m.end()
    out.append(conditional_escape(text[pos:]))
    return mark_safe("".join(out))


@register.filter
def payload_messages(payload: bytes | memoryview) -> list[dict]:
    """The chat messages of a stored request body, for a readable view (system prompt first)."""
    try:
        body = json.loads(bytes(payload))
    except ValueError:
        return []
    messages = [{"role": "system", "content": body["system"]}] if body.get("system") else []
    return messages + [m for m in body.get("messages", []) if isinstance(m, dict)]
