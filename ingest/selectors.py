"""Reads for documents and ingestion health."""
from __future__ import annotations

from django.db.models import Count, QuerySet

from ingest.models import Document


def document_list(*, status: str | None = None, collection: str | None = None) -> QuerySet[Document]:
    qs = Document.objects.select_related("collection").order_by("collection__slug", "source")
    if status:
        qs = qs.filter(status=status)
    if collection:
        qs = qs.filter(collection__slug=collection)
    return qs


def document_status_counts() -> dict[str, int]:
    counts = {s: 0 for s in Document.Status.values}
    for row in Document.objects.values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts
