from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Retrieval (dense, BM25, hybrid) and the BM25 index kept in step with ingestion."""

    name = "rag.search"
    label = "search"
    verbose_name = "Retrieval: dense, keyword (BM25) and hybrid"

    def ready(self) -> None:
        """Index chunks as ingest stores them: ingest declares the signal, search listens,
        so the dependency points from search down to ingest only."""
        from ingest.models import Document
        from ingest.signals import chunks_stored
        from rag.search.services import chunks_stored_index

        chunks_stored.connect(chunks_stored_index, sender=Document, dispatch_uid="rag.search.bm25_index")
