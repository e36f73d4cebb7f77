"""Documents and their chunks.

A :class:`Document` is one file, identified within its collection by ``source``
(the path relative to the ingested folder, or the upload's file name). Its bytes
are kept content-addressed by SHA-256 (:mod:`ingest.blobs`: a :class:`Blob` row,
or a file under ``settings.BLOB_ROOT``).

Replacing a ready document registers a *replacement*: a second row with the same
``source`` and ``is_replacement`` set, processed while the current row keeps
serving. When its chunks are stored, the current row is deleted and the
replacement becomes current in the same transaction
(:func:`ingest.services.document_process`); a failed replacement stays
``failed`` beside the current row, which is left untouched. Per source there is
at most one current row and one replacement (two partial unique constraints). A
:class:`Chunk` is a structure-aware slice of the document's text with a 384-d
embedding (all-MiniLM-L6-v2) indexed by HNSW for cosine distance.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from pgvector.django import HnswIndex, VectorField


class PrivacyLevel(models.TextChoices):
    """Whether a collection's documents may ever be part of an external (redacted, approved) request."""

    LOCAL_ONLY = "local_only", "Local only: never leaves the perimeter"
    EXTERNAL_REDACTED = "external_redacted", "May leave redacted, after admin approval"


class Collection(models.Model):
    """A named set of documents (e.g. "hr", "engineering")."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    privacy_level = models.CharField(
        max_length=32, choices=PrivacyLevel.choices, default=settings.DEFAULT_PRIVACY_LEVEL
    )
    # The vector space (ingest.embedding.embedding_space: model and backend) of every chunk
    # in the collection, fixed by its first ingested document; "" while it has none. Vectors
    # of two spaces are not comparable, so ingestion refuses to mix them (manage.py reembed).
    embedding_space = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.slug


class Document(models.Model):
    """One ingested file of a collection: its stored bytes (by SHA-256), pipeline status and chunks.

    A replacement of a ready document is a second row (``is_replacement``) processed beside
    it; when its chunks are stored it takes the old row's place in one transaction.
    """

    class Status(models.TextChoices):
        """Pipeline state: queued → parsing → embedding → ready, or failed with ``error``."""

        QUEUED = "queued"
        PARSING = "parsing"
        EMBEDDING = "embedding"
        READY = "ready"
        FAILED = "failed"

    class Origin(models.TextChoices):
        """How the file arrived: a folder path (``manage.py ingest``, folder sync) or an upload."""

        PATH = "path"
        UPLOAD = "upload"

    collection = models.ForeignKey(Collection, on_delete=models.PROTECT, related_name="documents")
    source = models.CharField(max_length=1024, help_text="Path relative to the ingested folder, or upload file name")
    origin = models.CharField(max_length=16, choices=Origin.choices)
    title = models.CharField(max_length=500, blank=True)
    media_type = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    size_bytes = models.BigIntegerField()
    privacy_level = models.CharField(max_length=32, choices=PrivacyLevel.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    error = models.TextField(blank=True)
    # What the parser capped, skipped, recovered or read by OCR (ingest.parsers ParsedDocument.notes),
    # e.g. "pages 1-2 read by OCR"; a list of strings, set at each parse.
    notes = models.JSONField(default=list, blank=True)
    chunk_count = models.PositiveIntegerField(default=0)
    is_replacement = models.BooleanField(
        default=False, help_text="A new version of the current document with this source, not serving yet")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    uploaded_by_token = models.ForeignKey("access.APIToken", null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+", help_text="The API token that uploaded this version")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Milliseconds each pipeline stage took for the version that became ready at finished_at
    # (ingest.pipeline.Prepared.stage_ms says how each is measured); None until then.
    parse_ms = models.FloatField(null=True, blank=True)
    chunk_ms = models.FloatField(null=True, blank=True)
    embed_ms = models.FloatField(null=True, blank=True)
    store_ms = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["collection", "source"], condition=models.Q(is_replacement=False),
                                    name="document_unique_source"),
            models.UniqueConstraint(fields=["collection", "source"], condition=models.Q(is_replacement=True),
                                    name="document_one_replacement"),
        ]
        ordering = ["source"]

    def __str__(self) -> str:
        return f"{self.collection.slug}:{self.source}"


class Blob(models.Model):
    """The stored bytes of one or more documents (those with this ``sha256``), when
    ``BLOB_STORE=database``; written and deleted only through :mod:`ingest.blobs`."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    data = models.BinaryField()
    size_bytes = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.sha256


class Chunk(models.Model):
    """A passage of a document: its text, location (heading path, page, character offsets), and
    the embedding of ``embedding_prefix + text``: ``(384,)`` float32, L2-normalised, HNSW-indexed
    for cosine distance. ``embedding_space`` names the model and backend that produced it."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="chunks")
    ordinal = models.PositiveIntegerField()
    text = models.TextField(help_text="The chunk's own text, as shown in citations")
    heading_path = models.CharField(max_length=1000, blank=True, help_text='Headings joined by " > "')
    # What was embedded is embedding_text_join(prefix=embedding_prefix, text=text) (ingest.chunking);
    # stored whole because heading_path is cut at 1,000 characters and cannot rebuild it.
    embedding_prefix = models.TextField(blank=True, help_text='The "title > headings" embedded before the text')
    char_start = models.PositiveIntegerField(help_text="Offset into the parsed document text (code points)")
    char_end = models.PositiveIntegerField()
    page = models.PositiveIntegerField(null=True, blank=True, help_text="1-based page number for paged formats")
    token_count = models.PositiveIntegerField(help_text="Word-piece tokens of the embedding model")
    embedding = VectorField(dimensions=settings.EMBEDDING_DIMENSIONS)
    # Provenance of ``embedding``: the space (model/backend) that computed it, and the SHA-256
    # of the exact embedded string, the key of the vector cache (ingest.pipeline).
    embedding_space = models.CharField(max_length=200, blank=True)
    text_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "ordinal"], name="chunk_unique_ordinal")]
        indexes = [
            models.Index(fields=["text_sha256", "embedding_space"], name="chunk_vector_cache"),
            HnswIndex(
                name="chunk_embedding_hnsw",
                fields=["embedding"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            )
        ]
        ordering = ["document_id", "ordinal"]


class FolderSource(models.Model):
    """A folder (local disk, NFS or SMB mount) kept in sync with a collection (:mod:`ingest.sources`).

    Registered once per collection and path; scanned every ``interval_s`` seconds by Celery beat
    while ``enabled``, and on demand. ``last_counts`` is the last scan's
    :class:`ingest.sync.SyncReport` counts (``created``, ``changed``, ``renamed``, ``deleted``,
    ``unreadable``...), ``last_error`` why the last scan failed ("" if it did not)."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="folder_sources")
    path = models.CharField(max_length=1024, help_text="Absolute path of the folder, symlinks resolved")
    enabled = models.BooleanField(default=True)
    interval_s = models.PositiveIntegerField(default=3600, help_text="Seconds between scheduled scans")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # A scan in progress holds the source by setting scan_started_at (cleared when it ends), so
    # beat and a button press never scan one folder twice at once; a claim older than
    # ingest.sources.SCAN_CLAIM_S is taken as a crashed scan.
    scan_started_at = models.DateTimeField(null=True, blank=True)
    last_scan_at = models.DateTimeField(null=True, blank=True)
    last_scan_ms = models.PositiveIntegerField(null=True, blank=True)
    last_counts = models.JSONField(default=dict, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["collection", "path"], name="folder_source_unique_path")]
        ordering = ["collection__slug", "path"]

    def __str__(self) -> str:
        return f"{self.collection.slug}:{self.path}"
