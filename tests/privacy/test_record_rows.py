"""Issue 11: names and phones in records — tables with a header, header-less contact rows, signature blocks.

The layout is the only evidence in a CSV export or an e-mail footer, so each
rule is shown on a record that must be masked and on a look-alike of the same
shape (products, cities, order ids, dates, versions) that must stay. Real
Presidio + spaCy + names-dataset; no mocks, no database. The people, numbers
and companies are made up for these tests; none is taken from the dev or
held-out sets.
"""
from __future__ import annotations

import pytest

from rag.privacy.analyzers import LANGUAGE, redaction_analyzer
from rag.privacy.recognizers.phone import PerimeterPhoneRecognizer
from rag.privacy.recognizers.fields import column_kind, phone_shaped, row_fields
from rag.privacy.recognizers.records import RecordFieldRecognizer
from rag.privacy.redaction import payload_redact_checked


def record_findings(text: str) -> list[tuple[str, str]]:
    """What the record recognizer alone finds in ``text``, as ``(entity, value)``, with spaCy's lexicon."""
    artifacts = redaction_analyzer().nlp_engine.process_text(text, LANGUAGE)
    return [(r.entity_type, text[r.start:r.end]) for r in RecordFieldRecognizer().analyze(text, [], artifacts)]


def redacted(text: str) -> str:
    return payload_redact_checked(texts=[text]).texts[0]


# ------------------------------------------------------------------ tables with a header
@pytest.mark.parametrize("text, person", [
    ("staff_no,name,site\n40417,Wojtek Zarembski,Gdynia", "Wojtek Zarembski"),
    ("staff_no,name,site\n5521,B. van Oostrum,Gdynia", "B. van Oostrum"),
    ("ticket;assignee;status\nT-118;Ilse Marchetti-Borg;open", "Ilse Marchetti-Borg"),
    ("Vorname\tNachname\tAbteilung\nGundolf\tAltreiter\tEinkauf", "Altreiter"),
    ("| Requester | Item |\n|---|---|\n| Oddny Hellsten | Monitor arm |", "Oddny Hellsten"),
    ('"full name","team"\n"Quartey, Ekow","Payroll"', "Quartey, Ekow"),
])
def test_a_cell_under_a_person_column_is_masked_whatever_its_words(text, person):
    assert ("PERSON", person) in record_findings(text)
    assert person not in redacted(text)


def test_the_display_name_of_a_mailbox_in_a_person_column_is_the_person():
    text = "ticket,requester\nT-9,Wendeline Akkerman <w.akkerman@example.nl>"
    assert ("PERSON", "Wendeline Akkerman") in record_findings(text)


def test_goods_columns_in_other_languages_keep_a_bare_name_column_from_people():
    assert record_findings("Artikel;Name;Menge\nA-7;Rosa Stehleuchte;4") == []


def test_every_row_of_the_table_is_read_until_the_layout_changes():
    text = "id,owner,due\n1,Runa Eskildsen,May\n2,Tomasz Wiech,June\n\nowner of the budget: finance"
    found = record_findings(text)
    assert ("PERSON", "Runa Eskildsen") in found and ("PERSON", "Tomasz Wiech") in found
    assert all(value != "finance" for _, value in found)


def test_a_cell_under_a_phone_column_is_a_phone_even_in_a_national_format():
    text = "name;mobile;city\nKerttu Vainio;040 7781 220;Oulu"
    found = record_findings(text)
    assert ("PHONE", "040 7781 220") in found
    assert ("PERSON", "Kerttu Vainio") in found
    assert ("PERSON", "Oulu") not in found
    out = redacted(text)
    assert "040 7781 220" not in out and "Kerttu Vainio" not in out and "Oulu" in out


@pytest.mark.parametrize("header, expected", [
    ("name", "person"), ("Full Name", "person"), ("employee_name", "person"), ("assignee", "person"),
    ("Vorname", "person"), ("nombre", "person"), ("姓名", "person"),
    ("phone", "phone"), ("Mobile No", "phone"), ("contact number", "phone"), ("Telefon", "phone"),
    ("employee_id", ""), ("owner_email", ""), ("product name", ""), ("team", ""), ("qty", ""),
])
def test_column_kinds_come_from_the_header_words(header, expected):
    assert column_kind(header, [header, "other"]) == expected


def test_a_bare_name_column_beside_goods_columns_is_not_a_person_column():
    assert column_kind("name", ["sku", "name", "qty"]) == ""
    assert column_kind("host", ["host", "ip", "port"]) == ""
    # a column about people wins: "employee_id,name,team"
    assert column_kind("name", ["employee_id", "name", "team"]) == "person"


@pytest.mark.parametrize("text", [
    "sku,product,qty\nA-1,Ivy Lamp,3",
    "sku,name,qty\nLX-20,Rosa Floor Lamp,12",
    "city,country,population\nTampere,Finland,244000",
    "version,released,notes\n4.10.26,2025-03-01,Hotfix",
    "order_id;date;amount\n4494754156;2024-05-01;120.00",
    "host,ip,port\nmercury,10.0.0.5,443",
    "Name, address, phone\nplease send them by Friday",
])
def test_tables_without_a_person_or_phone_column_are_left_alone(text):
    assert record_findings(text) == []


def test_placeholders_and_ids_under_a_person_column_are_not_people():
    found = record_findings("task,owner\nT-1,N/A\nT-2,unassigned\nT-3,4410")
    assert found == []


# ------------------------------------------------------------------ one field a line: label, value
def test_a_record_written_one_field_a_line_types_each_value_by_its_label():
    text = "Field;Value\nName;Sunniva Aas\nMobile;040 7781 220\nCity;Oulu"
    found = record_findings(text)
    assert ("PERSON", "Sunniva Aas") in found and ("PHONE", "040 7781 220") in found
    assert all(value not in {"Mobile", "City", "Oulu", "Name"} for _, value in found)


def test_labels_of_goods_keep_a_bare_name_label_from_typing_a_person():
    assert record_findings("Product,Ivy Lamp\nName,Rose Vase\nQty,3") == []


def test_a_two_column_table_with_a_header_is_not_read_as_labels_and_values():
    found = record_findings("name,team\nWendeline Akkerman,Payroll\nOdalys Ferrer,Sales")
    assert ("PERSON", "Wendeline Akkerman") in found and ("PERSON", "Odalys Ferrer") in found
    assert all(value not in {"Payroll", "Sales"} for _, value in found)


# ------------------------------------------------------------------ contact cards
def test_a_block_of_short_lines_with_an_email_is_a_contact_card():
    text = "Please find my details below:\nYsolde Carmichael\n7715 902 318\nysolde@example.co.uk"
    found = record_findings(text)
    assert ("PERSON", "Ysolde Carmichael") in found and ("PHONE", "7715 902 318") in found


@pytest.mark.parametrize("text", [
    "Procurement Desk\nHead Office\n+44 20 7946 0000\nprocurement@example.co.uk",
    "Order SO-88412\nShipped 2024-05-01\n+1 800 555 0100",
    "Escalations\nsupport@example.com",
])
def test_a_card_of_a_desk_an_order_or_a_team_holds_no_person(text):
    assert all(entity != "PERSON" for entity, _ in record_findings(text))


# ------------------------------------------------------------------ header-less contact rows
@pytest.mark.parametrize("text, person, phone", [
    ("R. Okonkwo-Bell;+44 20 7946 0318;rob@example.org", "R. Okonkwo-Bell", "+44 20 7946 0318"),
    ("Sunniva K. Aas;0047 22 33 44 55;sunniva@example.net", "Sunniva K. Aas", "0047 22 33 44 55"),
    ("Daniela Ferreira da Cunha, 11 98765-4321, dfc@example.com.br", "Daniela Ferreira da Cunha",
     "11 98765-4321"),
    ("Bruno Lefebvre | 562.018.4471 | bl@example.fr", "Bruno Lefebvre", "562.018.4471"),
    ("Kaito Mori\t31406628\tkmori@example.jp", "Kaito Mori", "31406628"),
])
def test_a_row_with_an_email_or_phone_field_is_a_contact_record(text, person, phone):
    found = record_findings(text)
    assert ("PERSON", person) in found
    assert ("PHONE", phone) in found
    out = redacted(text)
    assert person not in out and phone not in out


def test_a_bare_digit_field_is_a_phone_only_in_a_contact_record():
    assert ("PHONE", "73914406") in record_findings("Ilka Brandt;73914406;ilka@example.de")
    assert record_findings("Ivy Lamp;73914406;3") == []


@pytest.mark.parametrize("text", [
    "Customer Support;+1 800 555 0100;support@example.com",
    "Head Office,+44 20 7946 0000,hello@example.co.uk",
    "Brandt Keller GmbH;+49 30 1234567;info@example.de",
    "The Facilities Team | +31 20 123 4567 | facilities@example.nl",
    "Sales;+34 912 345 678;ventas@example.es",
    "Finland;+358 9 1234 5678;info@example.fi",
])
def test_a_contact_row_of_an_office_team_or_company_keeps_its_name(text):
    assert all(entity != "PERSON" for entity, _ in record_findings(text))


def test_a_one_word_field_beside_a_role_mailbox_is_the_organisation_but_a_full_name_is_a_person():
    assert all(e != "PERSON" for e, _ in record_findings("Quellmark;+1 312 555 0100;info@quellmark.example"))
    assert ("PERSON", "Quellmark") in record_findings("Quellmark;+1 312 555 0100;dana.q@quellmark.example")
    found = record_findings("Dagny Quellmark;+1 312 555 0100;sales@quellmark.example")
    assert ("PERSON", "Dagny Quellmark") in found


@pytest.mark.parametrize("text", [
    "Escalate to Amit Ferreira; the customer is waiting since 09:30.",
    "Send the packet to ops@example.com; the forms are attached.",
    "Ivy Lamp;2024-05-01;SO-1123;Shipped",
    "ISBN 978-3-16-148410-0;Ivy Lamp;2024",
    "Release 4.10.26;Jasper;2025-01-10",
    "Order 88412207, Rose Garden Bench, 2024-05-01",
])
def test_prose_with_semicolons_and_rows_without_contact_fields_are_not_contact_records(text):
    assert record_findings(text) == []


@pytest.mark.parametrize("value, expected", [
    ("+34 848 613 770", True), ("219.89424", True), ("14775895494", True), ("(0808) 1570973", True),
    ("565.337.9518", True), ("2024-05-01", False), ("01.02.2024", False), ("4.10.26.1137", False),
    ("10.0.0.5", False), ("123-45-6789", False), ("120.00", False), ("SO-88412", False), ("123456", False),
])
def test_phone_shaped_fields_exclude_dates_versions_addresses_and_ssns(value, expected):
    assert phone_shaped(value) is expected


def test_row_fields_locate_quoted_cells_in_the_text():
    text = 'x\n"Quartey, Ekow";"+233 30 277 0000"'
    fields = row_fields(text, 2, len(text), ";")
    assert [text[f.start:f.end] for f in fields] == ["Quartey, Ekow", "+233 30 277 0000"]


def test_a_quoted_cell_with_doubled_quotes_is_masked_over_its_raw_text():
    text = 'name,team\n"Ekow ""Kojo"" Quartey",Payroll'
    found = record_findings(text)
    assert ("PERSON", 'Ekow ""Kojo"" Quartey') in found
    assert "Quartey" not in redacted(text)


# ------------------------------------------------------------------ signature blocks
@pytest.mark.parametrize("text, phone", [
    ("Best regards,\nHalldóra Sveins\nHead of Procurement\n5417730962", "5417730962"),
    ("Mit freundlichen Grüßen\nGundolf Altreiter\nEinkauf\n030 88 41 27 09", "030 88 41 27 09"),
    ("--\nIlse Marchetti\n+356 2122 4000", "+356 2122 4000"),
])
def test_a_bare_number_line_in_a_signature_block_is_a_phone(text, phone):
    assert ("PHONE", phone) in record_findings(text)
    assert phone not in redacted(text)


def test_the_first_line_after_a_closing_is_the_writer_when_it_is_shaped_like_a_name():
    assert ("PERSON", "Ysolde Carmichael") in record_findings("Best regards,\nYsolde Carmichael\nHead of Procurement")


@pytest.mark.parametrize("text", [
    "Regards,\nAccounts Payable", "Thanks,\nThe Payroll Team", "Regards,\nCustomer Success",
    "Kind regards,\nProcurement", "Thanks,\nIT Service Desk",
])
def test_a_team_or_department_signing_off_is_no_person(text):
    assert all(entity != "PERSON" for entity, _ in record_findings(text))


@pytest.mark.parametrize("text", [
    "Best regards,\nThe Payroll Team\n2024-05-01",
    "Thanks,\nRelease crew\nv4.10.26\n10.0.21244.1137",
    "Kind regards,\nProcurement\nPO 4410020",
    "The build number is\n5417730962",  # no closing line: not a signature
    "Thanks for the report\n5417730962",  # a sentence that starts with thanks is no closing
])
def test_dates_versions_ids_and_numbers_outside_a_signature_stay(text):
    assert all(e != "PHONE" for e, _ in record_findings(text))


def test_the_signature_block_ends_at_the_first_blank_line():
    text = "Regards,\nJun Sato\n\nStock count\n5417730962"
    assert ("PHONE", "5417730962") not in record_findings(text)


# ------------------------------------------------------------------ national phone layouts in free text
@pytest.mark.parametrize("text, phone", [
    ("Son portable : 06 71 38 20 94, le soir.", "06 71 38 20 94"),
    ("Le standard est au 01.42.68.53.00.", "01.42.68.53.00"),
    ("Stockholmskontoret nås på 08-712 34 56.", "08-712 34 56"),
    ("Göteborg desk: 031-12 34 56", "031-12 34 56"),
])
def test_french_pairs_and_swedish_area_dash_layouts_are_phones_without_wording(text, phone):
    spans = [text[s:e] for s, e, _ in PerimeterPhoneRecognizer().spans(text, None)]
    assert phone in spans


@pytest.mark.parametrize("text", [
    "The winning numbers were 12 34 56 78 90.",
    "Invoice 03-2024 12 05 is overdue.",
    "Dial-in code 04 94 66 57 81 for the board call.",
])
def test_national_layouts_need_a_trunk_zero_and_no_id_or_code_word(text):
    assert list(PerimeterPhoneRecognizer().spans(text, None)) == []
