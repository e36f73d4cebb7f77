"""Fixtures for the fallback flow: the proprietary-API stand-in, and questions about documents with PII.

The stand-in starts when this conftest is imported (at collection, before any
test runs), and exports its URLs and keys to the environment so that the Celery
worker subprocess, whenever a test session starts it, sends to it too. In this
process the ``settings`` fixture points Django at it.
"""
from __future__ import annotations

import os
import time

import pytest

# pytest-django's flush after transaction=True tests TRUNCATEs audit_event; the audit
# trigger allows that only in maintenance sessions. Drop this import once the fixture
# has moved to tests/conftest.py.
from tests.standin.server import StandinServer

OPENAI_KEY = "sk-standin-openai-test"
ANTHROPIC_KEY = "sk-ant-standin-test"

_standin = StandinServer(openai_key=OPENAI_KEY, anthropic_key=ANTHROPIC_KEY).start()
STANDIN_ENV = {
    "FALLBACK_OPENAI_BASE_URL": f"{_standin.url}/v1",
    "FALLBACK_OPENAI_API_KEY": OPENAI_KEY,
    "FALLBACK_ANTHROPIC_BASE_URL": _standin.url,
    "FALLBACK_ANTHROPIC_API_KEY": ANTHROPIC_KEY,
    "FALLBACK_SEND_RETRY_DELAY_S": "0",  # the worker retries at once
    "FALLBACK_SEND_MAX_RETRIES": "3",
}
os.environ.update(STANDIN_ENV)

# Real-looking personal data, in the question and in the documents.
QUESTION = ("When does the parking permit of Dana Whitfield expire? "
            "Reply to dana.whitfield@example.com or call +1 415-555-0132.")
PERMITS = ("# Parking permits\n\nDana Whitfield holds parking permit P-22, valid until 30 June. "
           "Her card 4111 1111 1111 1111 is billed monthly for the parking permit. "
           "Home address: 742 Evergreen Terrace, Springfield, IL 62704. Her SSN is 536-22-1847. "
           "Parking permits are renewed by Marcus Oyelaran (m.oyelaran@example.org).")
SALARIES = ("# Parking permit salaries\n\nThe parking permit office pays Priya Raman 61,000 per year; "
            "her IBAN is DE89 3704 0044 0532 0130 00.")
PII_VALUES = ["Dana Whitfield", "dana.whitfield@example.com", "415-555-0132", "4111 1111 1111 1111",
              "742 Evergreen Terrace", "536-22-1847", "Marcus Oyelaran", "m.oyelaran@example.org",
              "Priya Raman", "DE89 3704 0044 0532 0130 00", "Whitfield", "Oyelaran"]


@pytest.fixture(scope="session")
def standin():
    yield _standin
    _standin.stop()


@pytest.fixture(autouse=True)
def standin_settings(standin, settings):
    """Point this process at the stand-in, with a clean record for every test."""
    settings.FALLBACK_OPENAI_BASE_URL = STANDIN_ENV["FALLBACK_OPENAI_BASE_URL"]
    settings.FALLBACK_OPENAI_API_KEY = OPENAI_KEY
    settings.FALLBACK_ANTHROPIC_BASE_URL = STANDIN_ENV["FALLBACK_ANTHROPIC_BASE_URL"]
    settings.FALLBACK_ANTHROPIC_API_KEY = ANTHROPIC_KEY
    settings.FALLBACK_PROVIDER = "openai"
    settings.FALLBACK_SEND_RETRY_DELAY_S = 0
    standin.reset()
    return standin


@pytest.fixture
def permits_doc(db):
    from tests.factories import document_ingested

    return document_ingested(source="facilities/permits.md", text=PERMITS)


@pytest.fixture
def salaries_doc(db):
    """A document marked local_only, as an admin would in the document settings."""
    from ingest.models import Document, PrivacyLevel
    from tests.factories import document_ingested

    doc = document_ingested(source="hr/salaries.md", text=SALARIES)
    Document.objects.filter(pk=doc.pk).update(privacy_level=PrivacyLevel.LOCAL_ONLY)
    doc.refresh_from_db()
    return doc


def question_asked(*, user, text: str = QUESTION, documents=(), answer: str = "Permit P-22.",
                   status: str = "answered", score: float = 0.62):
    """A stored question whose retrieval returned the chunks of ``documents`` (factory).

    The fallback flow starts from a stored Question; how the local answer was
    produced does not matter to it (the API tests go through /api/v1/query).
    """
    from ingest.models import Chunk
    from rag.qa.models import Question

    chunks = list(Chunk.objects.filter(document__in=documents).order_by("document_id", "ordinal"))
    citations = [] if status == "abstained" else [
        {"document_id": c.document_id, "source": c.document.source, "heading": c.heading_path, "page": c.page,
         "chunk_id": c.id, "score": score, "snippet": c.text[:300]} for c in chunks]
    return Question.objects.create(asked_by=user, text=text, top_k=5, answer=answer, status=status,
                                   citations=citations, retrieved_chunk_ids=[c.id for c in chunks])


def wait_for_request(request_id: int, *, statuses, timeout_s: float = 60):
    """Poll until the worker has moved the request into one of ``statuses``; return it."""
    from rag.fallback.models import FallbackRequest

    deadline = time.monotonic() + timeout_s
    while True:
        req = FallbackRequest.objects.get(pk=request_id)
        if req.status in statuses:
            return req
        if time.monotonic() > deadline:
            raise TimeoutError(f"fallback request {request_id} still {req.status} after {timeout_s} s")
        time.sleep(0.2)
