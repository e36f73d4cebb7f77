"""DOCX edge cases real files have (issue 16): tracked changes, content controls, nested tables,
Strict OOXML, a renamed main part, and XML that tries to expand entities.

Pure tests: each file starts as a python-docx document built here; what python-docx cannot write
(revision marks, content controls, Strict namespaces, renamed parts) is put into its XML with lxml
and the zip rewritten, as Word itself would have saved it.
"""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from lxml import etree

from ingest.parsers import ParseError, document_parse

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rezipped(data: bytes, *, edit) -> bytes:
    """``data`` with every member passed through ``edit(name, bytes) -> (name, bytes)``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            name, content = edit(info.filename, source.read(info.filename))
            target.writestr(name, content)
    return out.getvalue()


def with_body_xml(document, fragment: str) -> bytes:
    """``document`` saved with ``fragment`` (WordprocessingML, prefix ``w:``) appended to its body."""
    body = document.element.body
    wrapper = etree.fromstring(f'<w:wrapper xmlns:w="{W}">{fragment}</w:wrapper>')
    for element in list(wrapper):
        body.insert(len(body) - 1, element)  # before the final w:sectPr
    return saved(document)


def parse(data: bytes, name: str = "memo.docx"):
    return document_parse(data=data, filename=name)


def test_it_indexes_the_accepted_text_of_tracked_changes():
    document = docx.Document()
    document.add_heading("Leave policy", level=1)
    data = with_body_xml(document, """
      <w:p><w:r><w:t xml:space="preserve">Staff get </w:t></w:r>
        <w:del w:id="1" w:author="HR"><w:r><w:delText>20</w:delText></w:r></w:del>
        <w:ins w:id="2" w:author="HR"><w:r><w:t>28</w:t></w:r></w:ins>
        <w:r><w:t xml:space="preserve"> days of paid leave.</w:t></w:r></w:p>
      <w:p><w:moveFrom w:id="3" w:author="HR"><w:r><w:t>Carry-over ends in March.</w:t></w:r></w:moveFrom></w:p>
      <w:p><w:moveTo w:id="4" w:author="HR"><w:r><w:t>Carry-over ends in June.</w:t></w:r></w:moveTo></w:p>
      <w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "http://x" </w:instrText></w:r>
        <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>the intranet</w:t></w:r>
        <w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
      <w:tbl><w:tr><w:tc><w:p><w:r><w:t>Grade</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Days</w:t></w:r></w:p></w:tc></w:tr>
        <w:tr><w:trPr><w:del w:id="5" w:author="HR"/></w:trPr><w:tc><w:p><w:r><w:t>Intern</w:t></w:r></w:p></w:tc>
          <w:tc><w:p><w:r><w:t>10</w:t></w:r></w:p></w:tc></w:tr>
        <w:tr><w:tc><w:p><w:r><w:t>Staff</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>28</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
    """)
    parsed = parse(data)
    assert "Staff get 28 days of paid leave." in parsed.text
    assert "20" not in parsed.text.replace("28", "")
    assert "Carry-over ends in June." in parsed.text and "March" not in parsed.text
    assert "the intranet" in parsed.text and "HYPERLINK" not in parsed.text
    table = next(s for s in parsed.sections if s.kind == "table")
    assert table.text == "Grade | Days\nStaff | 28"
    assert table.heading_path == ("Leave policy",)


def test_it_keeps_content_control_text_and_drops_placeholders():
    document = docx.Document()
    data = with_body_xml(document, """
      <w:sdt><w:sdtPr><w:alias w:val="Clause"/></w:sdtPr><w:sdtContent>
        <w:p><w:r><w:t>The notice period is three months.</w:t></w:r></w:p></w:sdtContent></w:sdt>
      <w:p><w:r><w:t xml:space="preserve">Signed by </w:t></w:r>
        <w:sdt><w:sdtPr><w:alias w:val="Name"/></w:sdtPr><w:sdtContent><w:r><w:t>Maria Lopez</w:t></w:r></w:sdtContent></w:sdt></w:p>
      <w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>
        <w:p><w:r><w:t>Click or tap here to enter text.</w:t></w:r></w:p></w:sdtContent></w:sdt>
    """)
    parsed = parse(data)
    assert "The notice period is three months." in parsed.text
    assert "Signed by Maria Lopez" in parsed.text
    assert "Click or tap" not in parsed.text


def test_it_writes_a_nested_table_into_its_cell():
    document = docx.Document()
    outer = document.add_table(rows=2, cols=2)
    outer.cell(0, 0).text, outer.cell(0, 1).text = "Office", "Contacts"
    outer.cell(1, 0).text = "Lisbon"
    inner = outer.cell(1, 1).add_table(rows=2, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "Reception", "ext. 100"
    inner.cell(1, 0).text, inner.cell(1, 1).text = "IT desk", "ext. 200"
    table = next(s for s in parse(saved(document)).sections if s.kind == "table")
    assert table.text == "Office | Contacts\nLisbon | [Reception | ext. 100; IT desk | ext. 200]"


def strict(data: bytes) -> bytes:
    """The same package in Strict OOXML namespaces and relationship types (ISO/IEC 29500 Strict)."""
    swaps = [(W.encode(), W_STRICT.encode()),
             (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
              b"http://purl.oclc.org/ooxml/officeDocument/relationships")]

    def edit(name, content):
        for old, new in swaps:
            content = content.replace(old, new)
        return name, content
    return rezipped(data, edit=edit)


def test_it_reads_strict_ooxml_namespaces():
    document = docx.Document()
    document.add_paragraph("Handbook", style="Title")
    document.add_heading("Security", level=1)
    document.add_paragraph("Lock your screen when you leave your desk.")
    data = strict(saved(document))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert W_STRICT.encode() in archive.read("word/document.xml")
    parsed = parse(data)
    assert parsed.title == "Handbook"
    section = next(s for s in parsed.sections if "Lock your screen" in s.text)
    assert section.heading_path == ("Handbook", "Security")


def renamed_main_part(data: bytes, *, to: str = "content/main-body.xml") -> bytes:
    """Move word/document.xml (and its .rels) to ``to``, updating the package relationship and
    content type as a non-Word producer might write them."""
    directory, file = to.rsplit("/", 1)

    def edit(name, content):
        if name == "word/document.xml":
            return to, content
        if name == "word/_rels/document.xml.rels":  # its targets are relative to the part: make them absolute
            return f"{directory}/_rels/{file}.rels", content.replace(b'Target="', b'Target="/word/')
        if name == "_rels/.rels":
            return name, content.replace(b"word/document.xml", to.encode())
        if name == "[Content_Types].xml":
            return name, content.replace(b"/word/document.xml", f"/{to}".encode())
        return name, content
    return rezipped(data, edit=edit)


def test_it_follows_the_package_relationship_to_a_renamed_main_part():
    document = docx.Document()
    document.add_heading("Expenses", level=1)
    document.add_paragraph("Receipts are due within 30 days.")
    data = renamed_main_part(saved(document))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "word/document.xml" not in archive.namelist()
    parsed = parse(data, "expenses.docx")
    assert parsed.media_type == DOCX
    assert next(s for s in parsed.sections if "30 days" in s.text).heading_path == ("Expenses",)


def test_it_refuses_a_main_part_that_declares_entities():
    document = docx.Document()
    document.add_paragraph("placeholder")

    def edit(name, content):
        if name == "word/document.xml":
            head, _, rest = content.partition(b"?>")
            content = (head + b'?><!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
                       + rest.replace(b"placeholder", b"&secret;"))
        return name, content
    with pytest.raises(ParseError, match="declares a DTD"):
        parse(rezipped(saved(document), edit=edit))


def test_it_reports_a_package_without_a_main_part():
    document = docx.Document()
    document.add_paragraph("text")

    def edit(name, content):
        return (name.replace("word/document.xml", "word/gone.xml") if name == "word/document.xml" else name), content
    with pytest.raises(ParseError, match="^corrupt DOCX: part word/document.xml is missing"):
        parse(rezipped(saved(document), edit=edit))
