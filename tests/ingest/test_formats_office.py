"""Office formats (issue 16): slides, spreadsheets, OpenDocument; their malformed and hostile variants.

Pure tests: files are generated in memory by tests/fixtures/make_files.py with the same libraries
the parsers read them with; nothing is downloaded.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from ingest.parsers import ParseError, document_parse
from ingest.parsers.limits import SHEET_MAX_ROWS
from tests.fixtures import make_files


def section_with(parsed, needle):
    return next(s for s in parsed.sections if needle in s.text)


def test_it_reads_slides_with_their_number_title_table_and_notes():
    parsed = document_parse(data=make_files.pptx_sample(), filename="review.pptx")
    assert parsed.title == "Quarterly review"
    churn = section_with(parsed, "Churn fell")
    assert churn.heading_path == ("Slide 1: Q3 results",) and churn.page == 1
    assert section_with(parsed, "North | 40%").kind == "table"
    notes = section_with(parsed, "relocation budget")
    assert notes.heading_path == ("Slide 3: Hiring plan", "Notes") and notes.page == 3


def test_it_repeats_the_header_row_in_every_table_section_with_its_cell_range():
    parsed = document_parse(data=make_files.xlsx_sample(rows=45), filename="sales.xlsx")
    tables = [s for s in parsed.sections if s.heading_path[0].startswith('Sheet "Q3"')]
    assert [s.heading_path[0] for s in tables] == [
        'Sheet "Q3" A1:D21', 'Sheet "Q3" A22:D41', 'Sheet "Q3" A42:D46', 'Sheet "Q3" A48:B49']
    for section in tables[:3]:
        assert section.text.startswith("Region | Product | Units | Price\n")
    assert tables[3].text == "Owner | Email\nMaria Lopez | maria@example.com"
    assert section_with(parsed, "Keep list prices").heading_path == ('Sheet "Notes" A1:B2',)


def test_it_reads_a_formula_as_its_cached_value():
    parsed = document_parse(data=make_files.xlsx_with_cached_formula(), filename="totals.xlsx")
    assert "Region 0 | Widget 0 | 42 | 2.5" in parsed.text
    assert "A2*B2" not in parsed.text


def test_it_caps_a_huge_sheet_with_a_visible_note():
    data = b"id,value\n" + b"".join(b"%d,row %d\n" % (n, n) for n in range(SHEET_MAX_ROWS + 500))
    parsed = document_parse(data=data, filename="export.csv")
    assert any("was cut at row" in note for note in parsed.notes)
    assert f"was cut at row {SHEET_MAX_ROWS}" in parsed.text
    assert f"row {SHEET_MAX_ROWS + 100}" not in parsed.text


def test_it_sniffs_a_semicolon_csv_in_windows_1252():
    data = "Name;Stadt\nJürgen;Köln\nAnaïs;Genève\n".encode("cp1252")
    parsed = document_parse(data=data, filename="kunden.csv")
    assert parsed.sections[0].text == "Name | Stadt\nJürgen | Köln\nAnaïs | Genève"
    assert parsed.sections[0].heading_path == ('Sheet "kunden" A1:B3',)


@pytest.mark.parametrize(
    ("factory", "name", "needle", "heading"),
    [
        (make_files.odt_sample, "policy.odt", "password manager", ("Security policy", "Passwords")),
        (make_files.ods_sample, "budget.ods", "Hardware | 3400", ('Sheet "Budget"',)),
        (make_files.odp_sample, "offsite.odp", "capped at 900", ("Slide 2: Budget",)),
    ],
)
def test_it_reads_opendocument_text_sheets_and_slides(factory, name, needle, heading):
    parsed = document_parse(data=factory(), filename=name)
    assert section_with(parsed, needle).heading_path == heading


def test_it_reads_a_deck_by_its_content_when_named_docx():
    parsed = document_parse(data=make_files.pptx_sample(), filename="review.docx")
    assert parsed.media_type.endswith("presentationml.presentation")


def test_it_reports_a_truncated_deck_as_corrupt():
    data = make_files.pptx_sample()
    with pytest.raises(ParseError, match="corrupt PPTX|not a readable ZIP"):
        document_parse(data=data[: len(data) // 2], filename="review.pptx")


def test_it_refuses_a_zip_bomb_before_extracting():
    good = make_files.xlsx_sample(rows=1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.writestr("xl/media/padding.bin", b"\0" * (300 * 1024**2))
    with pytest.raises(ParseError, match="zip bomb"):
        document_parse(data=buffer.getvalue(), filename="sales.xlsx")


def test_it_refuses_an_encrypted_office_file():
    # Office encrypts into an OLE container holding an "EncryptedPackage" stream.
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 100
    with pytest.raises(ParseError, match="^encrypted Office file"):
        document_parse(data=ole, filename="salaries.xlsx")


def test_it_tells_the_user_to_resave_a_legacy_xls():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    with pytest.raises(ParseError, match=r"legacy Excel 97-2003 \(\.xls\)"):
        document_parse(data=ole, filename="old.xlsx")
