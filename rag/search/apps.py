from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "rag.search"
    label = "search"
    verbose_name = "Keyword search (BM25) and hybrid retrieval"
