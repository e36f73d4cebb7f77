"""Mail with attachments, JSON/YAML, and PDFs: OCR, damaged files (issue 16).

Pure tests: files are generated in memory by tests/fixtures/make_files.py; the OCR test runs
Debian's tesseract (installed by ./perimeter).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.parsers import ParseError, document_parse
from ingest.parsers.limits import MAIL_MAX_DEPTH
from tests.fixtures import make_files

FILES = Path(__file__).resolve().parents[1] / "fixtures" / "files"


def section_with(parsed, needle):
    return next(s for s in parsed.sections if needle in s.text)


def test_it_reads_mail_headers_body_and_a_pdf_attachment_with_its_pages():
    parsed = document_parse(data=make_files.eml_sample(), filename="offer.eml")
    assert parsed.title == "Offer for the Lisbon office"
    assert "From: Ana Silva <ana@example.com>" in parsed.sections[0].text
    assert section_with(parsed, "18 euros per square metre").heading_path == ("Offer for the Lisbon office",)
    page_two = section_with(parsed, "daily allowance")
    assert page_two.heading_path == ("Offer for the Lisbon office", 'attachment "offer.pdf"', "Per diem rates")
    assert page_two.page == 2


def test_a_mail_html_body_keeps_visible_text_only():
    html = ('<html><body><p>Meeting at noon.</p><script>alert("SECRET-MAIL")</script>'
            '<img src="https://tracker.example/pixel.gif"><a href="javascript:x()">Visible link</a></body></html>')
    parsed = document_parse(data=make_files.eml_sample(html=html, attachments=[]), filename="invite.eml")
    assert "Meeting at noon." in parsed.text and "Visible link" in parsed.text
    assert "SECRET-MAIL" not in parsed.text and "tracker" not in parsed.text


def test_a_mail_nested_past_the_depth_limit_stops_with_a_note():
    mail = make_files.eml_sample(attachments=[])
    for _ in range(MAIL_MAX_DEPTH + 1):
        mail = make_files.eml_sample(attachments=[("forwarded.eml", mail)])
    parsed = document_parse(data=mail, filename="chain.eml")
    assert any(f"nested more than {MAIL_MAX_DEPTH} levels" in note for note in parsed.notes)


def test_an_unreadable_attachment_gets_a_visible_reason():
    mail = make_files.eml_sample(attachments=[("tool.exe", b"MZ\x90\x00binary")])
    parsed = document_parse(data=mail, filename="tool.eml")
    assert 'attachment "tool.exe" not read: unsupported file type' in parsed.text


def test_it_refuses_a_msg_that_is_not_an_outlook_file():
    with pytest.raises(ParseError, match="not an Outlook message"):
        document_parse(data=b"From: a@example.com\n\nhello", filename="note.msg")


def test_it_reads_json_with_key_paths_as_headings():
    data = b'{"title": "Deploy config", "servers": [{"host": "db1", "port": 5432}], "tags": ["prod", "eu"]}'
    parsed = document_parse(data=data, filename="deploy.json")
    assert parsed.title == "Deploy config"
    assert section_with(parsed, "host: db1").heading_path == ("servers", "[0]")
    assert section_with(parsed, "- prod").kind == "list"


def test_it_reads_yaml_with_safe_load_only():
    data = b"name: Pipeline\nstages:\n  build:\n    image: python:3.11\nhook: !!python/object/apply:os.system [echo hi]\n"
    with pytest.raises(ParseError, match="invalid YAML"):
        document_parse(data=data, filename="ci.yaml")
    parsed = document_parse(data=data.rsplit(b"hook", 1)[0], filename="ci.yaml")
    assert section_with(parsed, "image: python:3.11").heading_path == ("stages", "build")


def test_it_reports_invalid_json_with_line_and_column():
    with pytest.raises(ParseError, match="invalid JSON: .* line 2 column"):
        document_parse(data=b'{"a": 1,\n "b": }', filename="broken.json")


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Debian's tesseract-ocr is not installed")
def test_ocr_reads_a_scanned_page_and_says_so():
    data = make_files.scanned_pdf(text_lines=["Lease agreement", "The monthly rent is 2400 euros."])
    parsed = document_parse(data=data, filename="lease.pdf")
    section = section_with(parsed, "2400 euros")
    assert "Lease agreement" in parsed.text
    assert section.page == 1 and section.heading_path == ("OCR",)
    assert parsed.notes == ("page 1 has no text layer and was read by OCR (tesseract)",)


def test_a_truncated_pdf_keeps_the_pages_that_parse_and_says_so():
    good = (FILES / "sample.pdf").read_bytes()
    parsed = document_parse(data=good[: good.rindex(b"xref")], filename="cut.pdf")
    assert section_with(parsed, "daily allowance").page == 2
    assert any(note.startswith("the PDF is damaged") for note in parsed.notes)


def test_a_pdf_cut_before_its_pages_fails_as_corrupt():
    good = (FILES / "sample.pdf").read_bytes()
    with pytest.raises(ParseError, match="^corrupt PDF"):
        document_parse(data=good[:400], filename="cut.pdf")
