"""The product as people use it: employees and an admin in headless Chromium, on the real services.

One journey per test (the services are slow to warm, the steps depend on each other);
each step asserts what the person sees and saves screenshots of the page under
test-artifacts/screenshots/ at desktop and narrow widths.
"""
from __future__ import annotations

import csv
import io
import json
import re
import time

import pytest
from playwright.sync_api import expect

from rag.access.services import collection_role_grant
from rag.audit.models import AuditEvent
from rag.fallback.models import FallbackRequest
from tests.factories import collection
from tests.fallback.conftest import PERMITS, wait_for_request

pytestmark = pytest.mark.django_db(transaction=True)

STREAM_TIMEOUT_MS = 90_000
# Close to the document's wording, so retrieval clears RETRIEVAL_MIN_SCORE; the passage it
# finds carries the personal data that the escalation must redact.
QUESTION = "Who holds parking permit P-22, and until when is that parking permit valid?"
Status = FallbackRequest.Status


def _reload_until(page, selector: str, text: str, *, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while text not in (page.locator(selector).text_content() or ""):
        assert time.monotonic() < deadline, f"{selector} never showed {text!r}"
        time.sleep(0.5)
        page.reload()


def test_an_employee_uploads_asks_escalates_and_an_admin_approves(
        open_session, user, admin_user_obj, llm_server, celery_worker, standin, tmp_path):
    # open to everyone signed in for reading (ACCESS_OPEN_COLLECTIONS); created by an admin, who lets the
    # employee contribute (reading alone never lets anyone upload)
    collection_role_grant(collection=collection("default"), role="contributor", user=user, actor="system")
    employee = open_session()
    employee.login("employee")
    page = employee.page

    # Documents: two files at once; one becomes ready, the unsupported one fails with its reason.
    page.goto("/documents/")
    (tmp_path / "permits.md").write_text(PERMITS)
    (tmp_path / "notes.xyz").write_text("not a supported type")
    page.get_by_label("Drop files here, or choose them").set_input_files(
        [tmp_path / "permits.md", tmp_path / "notes.xyz"])
    ready = page.locator("#uploads li", has_text="permits.md")
    expect(ready).to_have_attribute("data-status", re.compile("ready|failed"), timeout=120_000)
    expect(ready).to_have_attribute("data-status", "ready", timeout=1)
    expect(ready).to_contain_text("chunks")
    failed = page.locator("#uploads li", has_text="notes.xyz")
    expect(failed).to_have_attribute("data-status", "failed")
    expect(failed.locator(".error")).to_contain_text("unsupported file type")
    employee.screenshot("documents-upload")
    page.reload()
    expect(page.locator("table")).to_contain_text("permits.md")
    employee.screenshot("documents")

    # Ask: Ctrl+Enter submits, the answer streams, a numbered marker opens the cited passage.
    page.goto("/")
    employee.screenshot("ask-empty")
    page.get_by_label("Question").fill(QUESTION)
    page.get_by_label("Question").press("Control+Enter")
    expect(page.locator("#citations li").first).to_contain_text("permits.md", timeout=STREAM_TIMEOUT_MS)
    expect(page.locator("#history-link")).to_be_visible(timeout=STREAM_TIMEOUT_MS)
    assert page.locator("#answer").inner_text().strip()
    expect(page.get_by_role("button", name="Copy answer")).to_be_enabled()
    page.get_by_role("button", name="Copy answer").click()
    expect(page.locator("#copy-status")).to_contain_text(re.compile("Copied|Selected"))
    employee.screenshot("ask-answer")
    marker = page.locator("sup.cite a").first
    expect(marker).to_have_text("[1]")
    marker.click()
    expect(page.locator("mark#cited")).to_contain_text("parking permit")
    expect(page.locator("h1")).to_have_text("permits.md")
    employee.screenshot("source")

    # Escalate: the plain-language explanation, then confirm.
    page.go_back()
    page.goto("/history/")
    page.get_by_role("link", name=re.compile("Who holds parking permit P-22")).click()
    page.get_by_role("link", name="Ask the external model").click()
    expect(page.locator("#escalate")).to_contain_text("administrator reviews the exact text")
    employee.screenshot("escalate")
    page.get_by_role("button", name="Redact and ask for approval").click()
    expect(page.locator("#request-status")).to_have_text("pending")
    request_url = page.url
    employee.screenshot("request-pending")

    # Admin, in another browser context: the badge counts it; approve the exact payload.
    admin = open_session()
    admin.login("boss")
    apage = admin.page
    apage.goto("/admin-console/approvals/")
    expect(apage.locator("#approvals-badge")).to_contain_text("1")
    request_card = apage.locator("section.request").first
    expect(request_card.locator("mark.redacted").first).to_be_visible()
    assert "Dana Whitfield" not in request_card.inner_text()
    admin.screenshot("approvals")
    request_card.get_by_role("button", name="Approve sending exactly this").click()
    expect(apage.locator(".messages")).to_contain_text("approved")
    req = wait_for_request(FallbackRequest.objects.get().pk, statuses=(Status.ANSWERED, Status.FAILED))
    assert req.status == Status.ANSWERED

    # The employee sees the answer (placeholders mapped back) and the privacy receipt.
    page.goto(request_url)
    _reload_until(page, "#request-status", "delivered")
    expect(page.locator("#external-answer")).to_contain_text("Dana Whitfield")
    expect(page.locator("#receipt")).to_contain_text("boss")
    assert "Dana Whitfield" not in page.locator("#receipt").inner_text()
    employee.screenshot("request-answered")

    # History: searchable, and the question reopens with its citations and request status.
    page.goto("/history/")
    page.get_by_label("Search questions and answers").fill("parking permit")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#history li")).to_have_count(1)
    expect(page.locator("#history")).to_contain_text("delivered")
    employee.screenshot("history")
    page.get_by_role("link", name=re.compile("Who holds parking permit P-22")).click()
    expect(page.locator("#citations")).to_contain_text("permits.md")
    expect(page.locator("#external")).to_contain_text("delivered")
    employee.screenshot("history-question")

    # Audit log: filter by event type and export that filter as JSON Lines and CSV.
    apage.goto("/admin-console/audit/")
    expect(apage.locator("#chain-status")).to_contain_text("Chain verified")
    apage.get_by_label("Event type").select_option("fallback.approved")
    apage.get_by_role("button", name="Filter").click()
    rows = apage.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("fallback.approved")
    admin.screenshot("audit")
    with apage.expect_download() as jsonl:
        apage.get_by_role("link", name="JSON Lines").click()
    lines = [json.loads(x) for x in open(jsonl.value.path()).read().splitlines() if x.strip()]
    assert [r["event_type"] for r in lines] == ["fallback.approved"]
    with apage.expect_download() as csv_file:
        apage.get_by_role("link", name="CSV").click()
    records = list(csv.DictReader(io.StringIO(open(csv_file.value.path()).read())))
    assert [r["event_type"] for r in records] == ["fallback.approved"]

    # Ingestion health: the failed upload with its reason, and a re-run that is audited.
    apage.goto("/admin-console/ingestion/")
    expect(apage.locator("#ingestion-stats")).to_contain_text("ready")
    failure = apage.locator("#failures tr", has_text="notes.xyz")
    expect(failure).to_contain_text("unsupported file type")
    admin.screenshot("ingestion")
    failure.get_by_role("button", name=re.compile("Re-run")).click()
    expect(apage.locator(".messages")).to_contain_text("queued again")
    assert AuditEvent.objects.filter(event_type="document.requeued", actor="boss").count() == 1

    assert employee.js_errors == [] and admin.js_errors == []


def test_an_employee_sees_why_it_does_not_answer_and_when_an_answer_is_weakly_supported(open_session, user,
                                                                                        llm_server):
    from rag.qa.models import Question
    from tests.factories import document_ingested

    document_ingested(source="security/passwords.md", text="# Password rotation\n\nEmployees must rotate their "
                      "passwords every 90 days. The minimum length is 14 characters.")
    document_ingested(source="hr/leave.md", text="# Annual leave\n\nFull-time staff receive 28 days of annual "
                      "leave per year, including public holidays.")
    employee = open_session()
    employee.login("employee")
    page = employee.page

    # Abstention: the reason, the closest passages (links to the source view) and the escalation offer.
    page.goto("/")
    page.get_by_label("Question").fill("Which Kafka topic receives quantum telemetry?")
    page.get_by_role("button", name="Ask").click()
    note = page.locator("#support-note")
    expect(note).to_be_visible(timeout=STREAM_TIMEOUT_MS)
    expect(note).to_have_text(re.compile(r"^Not answered: \S"))
    asked = Question.objects.latest("created_at")
    expect(note).to_have_text(f"Not answered: {asked.support_reason}")
    closest = page.locator("#closest li a.source-link")
    expect(closest).to_have_count(2)
    expect(closest.first).to_have_attribute("href", re.compile(r"^/sources/\d+/#cited$"))
    expect(page.locator("#sources-block")).to_be_hidden()
    expect(page.locator("#escalate-link")).to_have_text("Ask the external model instead")
    employee.screenshot("ask-abstained")

    # An answer from the real model: marked "weakly supported" with its reason exactly when the rule says so.
    page.goto("/")  # a new conversation, not a follow-up of the question above
    page.get_by_label("Question").fill("How often must employees rotate their passwords?")
    page.get_by_role("button", name="Ask").click()
    expect(page.locator("#history-link")).to_be_visible(timeout=STREAM_TIMEOUT_MS)
    answered = Question.objects.latest("created_at")
    assert answered.status == "answered", answered.answer
    if answered.weakly_supported:
        expect(note).to_have_text(f"weakly supported: {answered.support_reason}")
        expect(page.locator("#escalate-link")).to_have_text("Ask the external model instead")
    else:
        expect(note).to_be_hidden()
    expect(page.locator("#closest-block")).to_be_hidden()
    employee.screenshot("ask-answer-support")
    assert employee.js_errors == []
