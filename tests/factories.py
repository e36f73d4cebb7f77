"""Test data: real files of each supported type, built in memory."""
from __future__ import annotations

import io


def pdf_bytes(pages: list[str]) -> bytes:
    """A real PDF (reportlab) with one text page per item."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for text in pages:
        y = 800
        for line in text.splitlines():
            c.drawString(50, y, line)
            y -= 16
        c.showPage()
    c.save()
    return buf.getvalue()


def docx_bytes(*, heading: str, paragraphs: list[str]) -> bytes:
    """A real DOCX (python-docx) with a Heading 1 and paragraphs."""
    import docx

    d = docx.Document()
    d.add_heading(heading, level=1)
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# Three short staff documents with one fact each: the corpus of the query, support and evaluate tests.
STAFF_FACTS = {
    "security/passwords.md": "# Password rotation\n\nEmployees must rotate their passwords every 90 days. "
                             "The minimum length is 14 characters.",
    "facilities/parking.md": "# Parking\n\nThe staff car park opens at 06:30 and closes at 22:00. "
                             "Bicycle racks are behind building C.",
    "hr/leave.md": "# Annual leave\n\nFull-time staff receive 28 days of annual leave per year, "
                   "including public holidays.",
}


def collection(slug: str = "default", **kwargs):
    from ingest.services import collection_get_or_create

    return collection_get_or_create(slug=slug)


def document_ingested(*, source: str, text: str, collection_slug: str = "default"):
    """Register and process a document in-process (real parser, chunker, embedder)."""
    from ingest.models import Document
    from ingest.services import document_process, document_register
    from django.db import transaction

    # Processed inside the registration's transaction: when it commits, the Celery task that
    # document_register queued finds the document ready and leaves it alone. (Processed after
    # the commit, a running test worker could re-process it concurrently and swap its chunks.)
    with transaction.atomic():
        reg = document_register(collection=collection(collection_slug), source=source, data=text.encode())
        document_process(document_id=reg.document.pk)
    return Document.objects.get(pk=reg.document.pk)


def signed_in_browser(user):
    """A Django test ``Client`` signed in as ``user`` (session cookie, as a browser)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def signed_in_api(user):
    """A DRF ``APIClient`` authenticated as ``user`` (no token: the session user)."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client
