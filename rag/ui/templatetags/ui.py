"""Template filters of the web UI."""
from __future__ import annotations

import re

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_MARKER = re.compile(r"\[(\d+)\]")


@register.filter
def citation_markers(answer: str, citations: list[dict]) -> SafeString:
    """The answer, escaped, with each ``[n]`` that names one of ``citations`` (1-based) turned into a
    superscript link to that passage, as the ask page renders it while streaming."""
    def link(match: re.Match) -> str:
        n = int(match.group(1))
        if not 1 <= n <= len(citations):
            return match.group(0)
        c = citations[n - 1]
        return format_html('<sup class="cite"><a href="{}#cited" title="{}">[{}]</a></sup>',
                           reverse("source", args=[c["chunk_id"]]), c.get("source", ""), n)

    return mark_safe(_MARKER.sub(link, escape(answer or "")))
