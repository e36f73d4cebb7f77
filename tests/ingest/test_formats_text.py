"""Text in real encodings, empty files, active content, nesting bombs and the parse deadline (issue 16).

Pure tests: no database, no network.
"""

from __future__ import annotations

import time

import pytest

from ingest.parsers import ParseError, document_parse
from ingest.parsers.limits import HTML_MAX_DEPTH, ParseTimeout, parse_bounded

TEXTS = {
    "cp1252": "Grüße aus Köln — das Café öffnet um 8 Uhr. Die Preise sind in €, und „Anführungszeichen“ gehören dazu.",
    "latin-1": "Grüße aus Köln. Das Café öffnet um acht Uhr morgens und schließt um sechs. Die Größe überrascht.",
    "shift_jis": "これは日本語のテキストです。会社の旅行規定について説明します。経費の精算は三十日以内に行ってください。",
    "euc-jp": "これは日本語のテキストです。会社の旅行規定について説明します。経費の精算は三十日以内に行ってください。",
    "euc-kr": "이것은 한국어 텍스트입니다. 회사의 출장 규정에 대해 설명합니다. 경비 정산은 삼십일 이내에 해야 합니다.",
    "gb18030": "这是中文文本。本文介绍公司的差旅政策。费用报销必须在三十天内完成。经济舱是默认选择。",
    "big5": "這是中文文本。本文介紹公司的差旅政策。費用報銷必須在三十天內完成。經濟艙是默認選擇。",
    "koi8-r": "Это русский текст. Здесь описываются правила командировок компании. Расходы нужно отчитать за тридцать дней.",
    "iso-8859-7": "Αυτό είναι ελληνικό κείμενο. Περιγράφει την πολιτική ταξιδιών της εταιρείας. Τα έξοδα υποβάλλονται.",
    "iso-8859-8": "זהו טקסט בעברית. הוא מתאר את מדיניות הנסיעות של החברה. יש להגיש הוצאות תוך שלושים יום.",
    "utf-16-le": "Café menu. Soup du jour, and Grüße from the kitchen.",
    "utf-16-be": "Café menu. Soup du jour, and Grüße from the kitchen.",
    "utf-32-le": "Café menu. Soup du jour.",
    "utf-32-be": "Café menu. Soup du jour.",
}


@pytest.mark.parametrize("encoding", sorted(TEXTS))
@pytest.mark.parametrize("extension", [".txt", ".md", ".html"])
def test_it_reads_text_in_the_encodings_people_have(encoding, extension):
    text = TEXTS[encoding]
    data = (f"<p>{text}</p>" if extension == ".html" else text).encode(encoding)
    parsed = document_parse(data=data, filename=f"note{extension}")
    assert parsed.text == text


def test_it_honours_a_right_html_meta_charset():
    text = "Это русский текст о правилах командировок."
    page = f'<html><head><meta charset="koi8-r"></head><body><p>{text}</p></body></html>'
    assert document_parse(data=page.encode("koi8-r"), filename="trip.html").text == text


def test_it_overrides_a_wrong_html_meta_charset():
    text = "Grüße aus Köln, das Café öffnet um acht Uhr und schließt um sechs."
    page = f'<html><head><meta charset="utf-8"></head><body><p>{text}</p></body></html>'
    assert document_parse(data=page.encode("cp1252"), filename="cafe.html").text == text


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (" \u00a0\u2003\u3000\n\u200b\t\n".encode(), "blank.txt"),
        (" \u00a0\u2003\n".encode("utf-16"), "blank.md"),
        (b"<!-- nothing here -->\n<!-- or here -->\n", "comments.html"),
        (b"<!-- draft -->\n", "comments.md"),
        (b"# just a comment\n# and another\n", "comments.yaml"),
        (b".. a comment\n\n.. another one\n", "comments.rst"),
    ],
)
def test_it_fails_whitespace_or_comment_only_files_as_empty(data, name):
    with pytest.raises(ParseError, match="empty|no text found"):
        document_parse(data=data, filename=name)


def test_it_refuses_real_binary_named_txt():
    with pytest.raises(ParseError, match="is not text"):
        document_parse(data=bytes(range(256)) * 20, filename="notes.txt")


# -- active content: visible text kept, script text absent --------------------

ACTIVE = {
    "script block": ("<script>\nstealCookies('SECRET-SCRIPT')\n</script>", "SECRET-SCRIPT"),
    "style block": ("<style>\n.x { content: 'SECRET-STYLE' }\n</style>", "SECRET-STYLE"),
    "iframe": ('<iframe src="https://evil.example/SECRET-FRAME">SECRET-FRAME-TEXT</iframe>', "SECRET-FRAME"),
    "object": ('<object data="SECRET-OBJECT.swf"><param name="x" value="SECRET-OBJECT"></object>', "SECRET-OBJECT"),
    "inline svg": ("<svg><script>alert('SECRET-SVG')</script><text>Visible label</text></svg>", "SECRET-SVG"),
    "event handler": ('<p onclick="alert(\'SECRET-HANDLER\')">Visible label</p>', "SECRET-HANDLER"),
    "inline script": ("Some text <script>alert('SECRET-INLINE')</script> continues", "SECRET-INLINE"),
    "inline handler": ('A <span onmouseover="SECRET-SPAN()">Visible label</span> here', "SECRET-SPAN"),
    "javascript link": ("Click [Visible label](javascript:alert('SECRET-LINK')) now", "SECRET-LINK"),
    "javascript reference": ("See [Visible label][x].\n\n[x]: javascript:alert('SECRET-REF')", "SECRET-REF"),
}


@pytest.mark.parametrize("kind", sorted(ACTIVE))
def test_markdown_active_content_never_becomes_text(kind):
    markup, secret = ACTIVE[kind]
    data = f"# Policy\n\nThe visible paragraph stays.\n\n{markup}\n\nAfter the block.\n".encode()
    parsed = document_parse(data=data, filename="policy.md")
    assert "The visible paragraph stays." in parsed.text and "After the block." in parsed.text
    assert secret not in parsed.text
    if "Visible label" in markup:
        assert "Visible label" in parsed.text


@pytest.mark.parametrize("kind", sorted(k for k in ACTIVE if "link" not in k and "reference" not in k))
def test_html_active_content_never_becomes_text(kind):
    markup, secret = ACTIVE[kind]
    parsed = document_parse(data=f"<p>The visible paragraph stays.</p>{markup}".encode(), filename="page.html")
    assert "The visible paragraph stays." in parsed.text
    assert secret not in parsed.text


def test_code_in_markdown_keeps_its_html_as_written():
    data = b"# Embedding\n\nUse `<script src=app.js>` in the head.\n\n```html\n<script>init()</script>\n```\n"
    parsed = document_parse(data=data, filename="howto.md")
    assert "`<script src=app.js>`" in parsed.text and "<script>init()</script>" in parsed.text


# -- bounds ---------------------------------------------------------------------


def test_a_nesting_bomb_fails_within_the_bound():
    bomb = ("<table><tr><td>" * 40_000 + "deep" + "</td></tr></table>" * 40_000).encode()
    assert len(bomb) > 1_000_000
    started = time.monotonic()
    with pytest.raises(ParseError, match=f"nested more than {HTML_MAX_DEPTH}"):
        document_parse(data=bomb, filename="bomb.html")
    assert time.monotonic() - started < 10


def test_a_yaml_alias_bomb_is_capped_with_a_note():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        lines.append(f"{chr(97 + level)}: &{chr(97 + level)} [{', '.join(['*' + chr(96 + level)] * 10)}]")
    started = time.monotonic()
    parsed = document_parse(data="\n".join(lines).encode(), filename="bomb.yaml")
    assert any("values were indexed" in note for note in parsed.notes)
    assert time.monotonic() - started < 30


def test_the_deadline_stops_a_parse_that_never_ends():
    started = time.monotonic()
    with pytest.raises(ParseTimeout, match="longer than 1 s"):
        parse_bounded(lambda: time.sleep(60), deadline_s=1)
    assert time.monotonic() - started < 5


def test_a_parse_that_exhausts_memory_fails_with_a_reason():
    with pytest.raises(ParseError, match="too large to parse"):
        parse_bounded(lambda: bytearray(4 * 1024**3), memory_bytes=256 * 1024**2)
