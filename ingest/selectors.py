"""Reads for documents and ingestion health.

Every read takes ``collection_ids``, the collections the caller may read (from
:func:`rag.access.selectors.collection_ids_readable`; None means all), so nothing
about an unreadable document (not even a count) reaches a page or an API.
"""
from __future__ import annotations

from django.db.models import Count, QuerySet

from ingest.models import Chunk, Document


def _readable(qs: QuerySet, collection_ids: list[int] | None, field: str = "collection_id") -> QuerySet:
    return qs if collection_ids is None else qs.filter(**{f"{field}__in": collection_ids})


def document_list(*, collection_ids: list[int] | None, status: str | None = None,
                  collection: str | None = None) -> QuerySet[Document]:
    """Readable documents by collection slug and source, optionally only one ``status`` and one
    ``collection`` (slug); the collection is joined.
    """
    qs = _readable(Document.objects.select_related("collection"), collection_ids).order_by("collection__slug",
                                                                                           "source")
    if status:
        qs = qs.filter(status=status)
    if collection:
        qs = qs.filter(collection__slug=collection)
    return qs


def document_get(*, document_id: int, collection_ids: list[int] | None) -> Document | None:
    """The document, or None if it does not exist or is not readable (callers answer 404 for both)."""
    return _readable(Document.objects.select_related("collection"), collection_ids).filter(pk=document_id).first()


def chunk_get(*, chunk_id: int, collection_ids: list[int] | None) -> Chunk | None:
    """The chunk with its document, or None if it does not exist or is not readable."""
    qs = _readable(Chunk.objects.select_related("document", "document__collection"), collection_ids,
                   field="document__collection_id")
    return qs.filter(pk=chunk_id).first()


def document_status_counts(*, collection_ids: list[int] | None) -> dict[str, int]:
    """``{status: count}`` of readable documents, with every status present (0 when none)."""
    counts = {s: 0 for s in Document.Status.values}
    for row in _readable(Document.objects, collection_ids).values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts
