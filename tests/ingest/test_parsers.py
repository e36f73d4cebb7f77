"""Parsers: real sample files of each type, and the files users get wrong.

Pure tests: no database, no network. Binary samples come from
tests/fixtures/make_files.py.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.parsers import (
    SUPPORTED_EXTENSIONS,
    ParsedDocument,
    ParseError,
    UnsupportedType,
    document_parse,
    media_type_detect,
)
from tests.fixtures import make_files

FILES = Path(__file__).resolve().parents[1] / "fixtures" / "files"
_SAMPLES = {
    "sample.pdf": lambda: (FILES / "sample.pdf").read_bytes(),
    "sample.docx": lambda: (FILES / "sample.docx").read_bytes(),
    "deck.pptx": make_files.pptx_sample,
    "sales.xlsx": make_files.xlsx_sample,
    "mail.eml": make_files.eml_sample,
}
CORPUS = Path(os.environ.get("PERIMETER_CORPUS", "/root/.cache/perimeter/corpus/django-docs"))
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


def parse(name: str) -> ParsedDocument:
    return document_parse(data=(FILES / name).read_bytes(), filename=name)


def section_with(parsed: ParsedDocument, needle: str):
    return next(s for s in parsed.sections if needle in s.text)


# -- every format -------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["sample.pdf", "sample.docx", "sample.html", "sample.md", "settings_sample.txt", "guide.rst", "notes.txt"],
)
def test_section_offsets_index_the_document_text(name):
    parsed = parse(name)
    assert parsed.sections
    for section in parsed.sections:
        assert parsed.text[section.char_start : section.char_end] == section.text
        assert section.text.strip()
        assert section.kind in {"paragraph", "list", "table", "code", "heading"}
    starts = [s.char_start for s in parsed.sections]
    assert starts == sorted(starts)


def test_supported_extensions_are_the_documented_ones():
    assert {
        ".txt", ".md", ".markdown", ".rst", ".html", ".htm", ".pdf", ".docx", ".pptx", ".xlsx", ".xlsm", ".csv",
        ".tsv", ".odt", ".ods", ".odp", ".eml", ".msg", ".json", ".yaml", ".yml",
    } == SUPPORTED_EXTENSIONS


# -- PDF ----------------------------------------------------------------------


def test_it_numbers_pdf_pages_from_one():
    parsed = parse("sample.pdf")
    assert parsed.media_type == "application/pdf"
    assert section_with(parsed, "approved agency").page == 1
    assert section_with(parsed, "45 euros").page == 2


def test_it_takes_pdf_headings_from_bookmarks_and_the_title_from_metadata():
    parsed = parse("sample.pdf")
    assert parsed.title == "Company travel handbook"
    assert section_with(parsed, "approved agency").heading_path == ("Travel policy",)
    assert section_with(parsed, "45 euros").heading_path == ("Per diem rates",)


def test_it_rejects_a_pdf_without_a_text_layer():
    with pytest.raises(ParseError, match=r"no extractable text \(scanned PDF\?\)"):
        parse("no_text.pdf")


def test_it_reports_a_corrupt_pdf_with_the_library_reason():
    good = (FILES / "sample.pdf").read_bytes()
    with pytest.raises(ParseError, match=r"^corrupt PDF: \S") as caught:
        document_parse(data=good[: len(good) // 2], filename="report.pdf")
    assert caught.value.permanent


def test_it_rejects_a_password_protected_pdf():
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt="s3cret")
    pdf.drawString(72, 700, "Board minutes")
    pdf.showPage()
    pdf.save()
    with pytest.raises(ParseError, match="encrypted PDF"):
        document_parse(data=buffer.getvalue(), filename="minutes.pdf")


def test_it_rejects_a_pdf_that_is_not_a_pdf():
    with pytest.raises(ParseError, match=r"report\.pdf is not a PDF: .*HTML"):
        document_parse(data=b"<!DOCTYPE html><html><body>404 Not Found</body></html>", filename="report.pdf")


def test_it_recognises_a_pdf_without_an_extension():
    data = (FILES / "sample.pdf").read_bytes()
    assert media_type_detect(data=data, filename="scan-0001") == "application/pdf"


# -- DOCX ---------------------------------------------------------------------


def test_it_reads_docx_headings_from_paragraph_styles():
    parsed = parse("sample.docx")
    assert parsed.media_type == DOCX
    assert parsed.title == "Onboarding guide"
    assert section_with(parsed, "team lead").heading_path == ("Onboarding guide", "First week")
    assert section_with(parsed, "day one").heading_path == ("Onboarding guide", "First week", "Accounts")
    assert section_with(parsed, "last day").heading_path == ("Onboarding guide", "Equipment")


def test_it_reads_a_docx_list_as_one_list_section():
    bullets = section_with(parse("sample.docx"), "Email and calendar")
    assert bullets.kind == "list"
    assert bullets.text == "- Email and calendar\n- Source code hosting\n- Expense reporting"


def test_it_reads_a_docx_table_row_by_row():
    table = section_with(parse("sample.docx"), "Engineer")
    assert table.kind == "table"
    assert table.text.splitlines() == [
        "Role | Laptop",
        "Engineer | 32 GB workstation laptop",
        "Sales | 14 inch ultrabook",
    ]


def test_it_reports_a_corrupt_docx_with_the_library_reason():
    good = (FILES / "sample.docx").read_bytes()
    with pytest.raises(ParseError, match=r"^corrupt DOCX: \S"):
        document_parse(data=good[: len(good) // 2], filename="guide.docx")


def test_it_reports_a_docx_with_broken_xml():
    buffer = io.BytesIO()
    sample = io.BytesIO((FILES / "sample.docx").read_bytes())
    with zipfile.ZipFile(sample) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            broken = info.filename == "word/document.xml"
            target.writestr(info.filename, b"<w:document broken" if broken else source.read(info.filename))
    with pytest.raises(ParseError, match=r"^corrupt DOCX: "):
        document_parse(data=buffer.getvalue(), filename="guide.docx")


def test_it_rejects_a_docx_that_is_not_a_docx():
    with pytest.raises(ParseError, match=r"guide\.docx is not a DOCX: .*plain text"):
        document_parse(data=b"just some notes\n", filename="guide.docx")


def test_it_rejects_a_zip_named_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photos/cat.txt", "meow")
    with pytest.raises(ParseError, match="ZIP archive without word/document.xml"):
        document_parse(data=buffer.getvalue(), filename="guide.docx")


def test_it_tells_the_user_to_resave_a_legacy_doc_named_docx():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    with pytest.raises(ParseError, match=r"legacy Word 97-2003 \(\.doc\)"):
        document_parse(data=ole, filename="old.docx")


# -- HTML ---------------------------------------------------------------------


def test_it_drops_html_navigation_scripts_styles_and_hidden_elements():
    parsed = parse("sample.html")
    for furniture in (
        "Intranet home",
        "IT menu item",
        "do-not-index-me",
        "inline script",
        "font-family",
        "Hidden draft",
        "Copyright footer",
    ):
        assert furniture not in parsed.text


def test_it_reads_html_headings_lists_tables_and_code():
    parsed = parse("sample.html")
    assert parsed.media_type == "text/html"
    assert parsed.title == "Expense policy"
    assert section_with(parsed, "30 days").text == "Submit expenses within 30 days of purchase."
    assert (
        section_with(parsed, "prior approval").text == "Client dinners need prior approval.\nKeep the itemised receipt."
    )
    items = section_with(parsed, "Breakfast")
    assert (items.kind, items.heading_path) == ("list", ("Expense policy", "Meals"))
    assert items.text.splitlines() == [
        "- Breakfast: up to 15 euros",
        "- Lunch: up to 25 euros",
        "  - Team lunches count per person",
    ]
    table = section_with(parsed, "Bicycle")
    assert (table.kind, table.heading_path) == ("table", ("Expense policy", "Mileage"))
    assert table.text.splitlines()[1] == "Car | 0.30 euros"
    assert section_with(parsed, "km * rate").kind == "code"


# -- Markdown -----------------------------------------------------------------


def test_it_reads_markdown_headings_and_keeps_code_fences_as_written():
    parsed = parse("sample.md")
    assert parsed.media_type == "text/markdown"
    assert parsed.title == "Backup runbook"  # from the front matter, which is not text
    assert "owner: platform team" not in parsed.text
    code = section_with(parsed, "pg_restore")
    assert code.kind == "code"
    assert code.text.startswith("```sh\n") and code.text.endswith("```")
    assert code.heading_path == ("Backups", "Restoring a database")
    assert section_with(parsed, "legal hold are").heading_path == ("Backups", "Retention", "Legal hold")
    assert section_with(parsed, "Monthly").kind == "table"
    assert section_with(parsed, "Stop the workers").kind == "list"


# -- reStructuredText ---------------------------------------------------------


def test_it_detects_restructuredtext_in_a_txt_file():
    data = (FILES / "settings_sample.txt").read_bytes()
    assert media_type_detect(data=data, filename="ref/settings.txt") == "text/x-rst"
    assert media_type_detect(data=(FILES / "notes.txt").read_bytes(), filename="notes.txt") == "text/plain"


def test_it_puts_each_django_setting_under_its_own_heading():
    parsed = parse("settings_sample.txt")
    assert parsed.title == "Settings"
    default = section_with(parsed, "``31449600``")
    assert default.heading_path == ("Settings", "Core Settings", "CSRF_COOKIE_AGE")
    other = section_with(parsed, "2 weeks")
    assert other.heading_path == ("Settings", "Sessions", "SESSION_COOKIE_AGE")


def test_it_keeps_setting_directive_lines_with_their_heading():
    heading = section_with(parse("settings_sample.txt"), ".. setting:: CSRF_COOKIE_AGE")
    assert heading.kind == "heading"
    assert heading.text == ".. setting:: CSRF_COOKIE_AGE\n\n``CSRF_COOKIE_AGE``"
    assert heading.heading_path == ("Settings", "Core Settings", "CSRF_COOKIE_AGE")


def test_it_nests_object_directives_in_the_heading_path():
    parsed = parse("settings_sample.txt")
    assert section_with(parsed, "Synchronizes").heading_path == ("Settings", "Commands", "migrate")
    assert section_with(parsed, "Defaults to ``default``").heading_path == (
        "Settings",
        "Commands",
        "migrate",
        "--database",
    )
    scheme = section_with(parsed, "scheme of the request")
    assert scheme.heading_path == ("Settings", "Commands", "HttpRequest", "HttpRequest.scheme")
    assert scheme.text == "A string representing the scheme of the request."  # dedented
    host = section_with(parsed, "originating host")
    assert host.heading_path == ("Settings", "Commands", "HttpRequest", "HttpRequest.get_host")


def test_it_strips_rst_labels_and_the_contents_directive():
    text = parse("settings_sample.txt").text
    assert ".. _core-settings:" not in text
    assert ".. contents::" not in text and ":depth: 1" not in text
    assert "========" not in text.split("Tables")[0]  # title adornments are gone


def test_it_keeps_a_literal_block_with_its_paragraph():
    code = section_with(parse("settings_sample.txt"), "5 * 1024 * 1024")
    assert code.kind == "code"
    assert code.text.startswith("The maximum size in bytes")
    assert code.text.endswith("DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024")


def test_it_keeps_version_notes_and_tables():
    parsed = parse("settings_sample.txt")
    note = section_with(parsed, ".. versionchanged:: 5.2")
    assert "streamed bodies" in note.text
    assert note.heading_path[-1] == "DATA_UPLOAD_MAX_MEMORY_SIZE"
    table = section_with(parsed, "seconds\nSIZE")
    assert table.kind == "table"


def test_it_reads_an_rst_file_with_other_title_adornments():
    parsed = parse("guide.rst")
    assert parsed.media_type == "text/x-rst"
    checklist = section_with(parsed, "ALLOWED_HOSTS")
    assert (checklist.kind, checklist.heading_path) == ("list", ("Deployment guide", "Checklist"))
    assert section_with(parsed, ".. note::").heading_path == ("Deployment guide", "Checklist")


@pytest.mark.skipif(not (CORPUS / "ref" / "settings.txt").exists(), reason="Django docs corpus not fetched")
def test_it_gives_real_django_settings_their_own_heading_path():
    parsed = document_parse(data=(CORPUS / "ref" / "settings.txt").read_bytes(), filename="ref/settings.txt")
    paths = {s.heading_path for s in parsed.sections}
    assert ("Settings", "Core Settings", "CSRF_COOKIE_AGE") in paths
    assert ("Settings", "Core Settings", "DATA_UPLOAD_MAX_MEMORY_SIZE") in paths


# -- plain text and encodings ---------------------------------------------------


def test_it_reads_plain_text_paragraphs_and_lists():
    parsed = parse("notes.txt")
    assert parsed.media_type == "text/plain"
    assert parsed.title == "Meeting notes, platform sync"
    assert section_with(parsed, "Alice").kind == "list"
    assert section_with(parsed, "read-only").text == (
        "The search cluster will be upgraded on Tuesday.\nExpect ten minutes of read-only mode."
    )


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + "Café menu\r\n\r\nSoup du jour".encode(),
        codecs.BOM_UTF16_LE + "Café menu\n\nSoup du jour".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "Café menu\n\nSoup du jour".encode("utf-16-be"),
    ],
    ids=["utf-8-sig", "utf-16-le", "utf-16-be"],
)
def test_it_decodes_text_with_a_byte_order_mark(data):
    parsed = document_parse(data=data, filename="menu.txt")
    assert parsed.text == "Café menu\n\nSoup du jour"


def test_it_rejects_binary_data_named_txt():
    with pytest.raises(ParseError, match=r"notes\.txt is not (UTF-8 )?text: .*image/png"):
        document_parse(data=PNG_HEADER + b"\x00" * 64, filename="notes.txt")


def test_it_rejects_text_with_nul_bytes():
    with pytest.raises(ParseError, match="is not text"):
        document_parse(data=b"hello\x00world\x00", filename="notes.md")


def test_it_reads_a_pdf_named_txt_as_the_pdf_it_is():
    parsed = document_parse(data=(FILES / "sample.pdf").read_bytes(), filename="notes.txt")
    assert parsed.media_type == "application/pdf"
    assert parsed.sections[0].page == 1


# -- empty and unknown -----------------------------------------------------------


@pytest.mark.parametrize("name", ["notes.txt", "report.pdf", "guide.docx", "page.html", "mystery.xyz"])
def test_it_rejects_an_empty_file(name):
    with pytest.raises(ParseError, match="^empty file$"):
        document_parse(data=b"", filename=name)


def test_it_rejects_a_text_file_of_only_whitespace():
    with pytest.raises(ParseError, match="empty file"):
        document_parse(data=b" \n\n\t\n", filename="notes.md")


@pytest.mark.parametrize("name", ["budget.numbers", "setup.exe", "README"])
def test_it_rejects_an_unknown_extension(name):
    with pytest.raises(UnsupportedType, match="unsupported file type") as caught:
        document_parse(data=b"some bytes", filename=name)
    assert caught.value.permanent
    assert ".pdf" in str(caught.value)  # says what is supported


def test_it_rejects_a_markdown_file_with_no_text():
    with pytest.raises(ParseError, match="no text found"):
        document_parse(data=b"---\n\n***\n", filename="rules.md")


# -- property: any bytes, any supported name ------------------------------------

_RST_LINES = st.sampled_from(
    [
        "Title",
        "=====",
        "-----",
        "~~~",
        ".. setting:: FOO",
        ".. note::",
        "    indented body",
        "* item",
        "Paragraph ending::",
        "",
        "",
        ".. _label:",
        "+---+---+",
        "===  ===",
        "1. first",
        ".. class:: A",
        "   .. method:: A.b()",
        "text with :setting:`FOO`",
        "\t",
        "::",
    ]
)


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(st.one_of(_RST_LINES, st.text(max_size=30)), max_size=40))
def test_rst_parsing_never_fails_and_keeps_offsets_exact(lines):
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    try:
        parsed = document_parse(data=data, filename="doc.rst")
    except ParseError:
        return
    for section in parsed.sections:
        assert parsed.text[section.char_start : section.char_end] == section.text


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=400), name=st.sampled_from(sorted(f"file{e}" for e in SUPPORTED_EXTENSIONS)))
def test_only_parse_errors_leave_document_parse(data, name):
    try:
        parsed = document_parse(data=data, filename=name)
    except ParseError:
        return
    for section in parsed.sections:
        assert parsed.text[section.char_start : section.char_end] == section.text


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(["sample.pdf", "sample.docx", "deck.pptx", "sales.xlsx", "mail.eml"]),
    edits=st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.binary(min_size=1, max_size=8)), min_size=1, max_size=6
    ),
)
def test_a_damaged_file_of_any_format_fails_only_with_parse_error(name, edits):
    data = bytearray(_SAMPLES[name]())
    for where, patch in edits:
        at = int(where * len(data))
        data[at : at + len(patch)] = patch
    with contextlib.suppress(ParseError):
        document_parse(data=bytes(data), filename=name)
