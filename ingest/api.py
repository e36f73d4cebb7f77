from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ingest.models import Document
from ingest.selectors import document_get, document_list
from ingest.erasure import collection_delete, document_remove
from ingest.services import UploadUnsupported, document_upload
from rag.access.authentication import token_of
from rag.access.permissions import AdminAccess, IngestAccess, ReadAccess
from rag.access.selectors import collection_ids_readable


class DocumentOutput(serializers.ModelSerializer):
    """A document's ingestion record: where it came from, its SHA-256 and size (bytes), its state
    (``queued`` … ``ready``/``failed`` with ``error``), ``notes`` (what the parser capped, skipped,
    recovered or read by OCR: a list of strings), chunk count, timings and ``status_url`` to poll.
    """

    collection = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["id", "collection", "source", "title", "media_type", "sha256", "size_bytes", "privacy_level",
                  "status", "error", "notes", "chunk_count", "is_replacement", "created_at", "updated_at", "started_at",
                  "finished_at", "status_url"]

    def get_status_url(self, obj) -> str:
        return reverse("api-document-detail", args=[obj.id])


class DocumentListUploadAPI(ListAPIView):
    """List the documents you may read (paginated; filter by ``status``, ``collection``) or upload
    one (multipart ``file``) into a collection you may read (tokens: ``ingest`` scope). Only staff
    and ``admin`` tokens for all collections create a collection by naming a new one.

    Upload errors (:func:`ingest.services.document_upload`, rendered by
    :func:`rag.core.api.exception_handler`): 400 ``invalid_file_name`` or ``unknown_collection``,
    413 ``file_too_large``, 415 ``unsupported_file`` with the recorded document in ``details``."""

    serializer_class = DocumentOutput
    parser_classes = [MultiPartParser]

    def get_permissions(self):
        return [IngestAccess()] if self.request.method == "POST" else [ReadAccess()]

    @property
    def throttle_scope(self) -> str:
        """Uploads count against the ``ingest`` rate limit, listing against ``read``."""
        return "ingest" if self.request.method == "POST" else "read"

    class UploadInput(serializers.Serializer):
        """Multipart body of an upload: ``file`` (empty files allowed: refused later as unsupported) and
        ``collection`` (slug, default "default").
        """

        file = serializers.FileField(allow_empty_file=True)
        collection = serializers.SlugField(required=False, default="default")

    class ListFilter(serializers.Serializer):
        """Query-string filters of the list: ``status`` and ``collection`` (slug), both optional."""

        status = serializers.ChoiceField(choices=Document.Status.choices, required=False,
                                         help_text="only documents in this state")
        collection = serializers.SlugField(required=False, help_text="only documents of this collection")

    def get_queryset(self):
        filters = self.ListFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return document_list(status=filters.validated_data.get("status"),
                             collection=filters.validated_data.get("collection"),
                             collection_ids=collection_ids_readable(user=self.request.user,
                                                                    token=token_of(self.request)))

    @extend_schema(parameters=[ListFilter], responses={200: DocumentOutput(many=True),
                                                       400: OpenApiResponse(description="Invalid filter")})
    def get(self, request, *args, **kwargs):
        """The readable documents, filtered and paginated. Raises ValidationError (400) for a bad filter."""
        return super().get(request, *args, **kwargs)

    @extend_schema(request={"multipart/form-data": UploadInput}, responses={
        202: DocumentOutput,
        413: OpenApiResponse(description="The file is larger than INGEST_MAX_UPLOAD_BYTES"),
        415: OpenApiResponse(description="Unsupported file type (recorded as a failed document)"),
    })
    def post(self, request):
        """202 with the registered document and ``action`` ("created", "changed", "replacement",
        "unchanged" or "requeued"); the refusals listed in the class docstring propagate to the one
        error handler.
        """
        data = self.UploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        try:
            registration = document_upload(collection_slug=data.validated_data["collection"],
                                           name=upload.name or "", data=upload, user=request.user,
                                           token=token_of(request))
        except UploadUnsupported as exc:  # the refused file was recorded; show it as any document is shown
            exc.details = {"document": {**DocumentOutput(exc.document).data, "action": "rejected"}}
            raise
        return Response({**DocumentOutput(registration.document).data, "action": registration.action},
                        status=status.HTTP_202_ACCEPTED)


class DocumentDetailAPI(APIView):
    """One document's ingestion status (GET), or its deletion (DELETE: the document, its pending
    replacement, chunks, postings and unused stored bytes, audited; managers of its collection,
    tokens with the ``admin`` scope). 404 if it does not exist or you may not read it; 403
    ``not_collection_manager`` if you read but do not manage its collection."""

    def get_permissions(self):
        return [AdminAccess() if token_of(self.request) is not None else ReadAccess()] \
            if self.request.method == "DELETE" else [ReadAccess()]

    @extend_schema(responses={204: None, 403: OpenApiResponse(description="Not a manager of the collection"),
                              404: OpenApiResponse(description="No such document")})
    def delete(self, request, document_id: int):
        """204 once the document and what hangs off it are deleted (audited); the service's 403/404 propagate."""
        document_remove(document_id=document_id, user=request.user, token=token_of(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={200: DocumentOutput})
    def get(self, request, document_id: int):
        """200 with the document, or 404 when it does not exist or its collection is not readable."""
        document = document_get(document_id=document_id,
                                collection_ids=collection_ids_readable(user=request.user, token=token_of(request)))
        if document is None:
            raise Http404("no such document")
        return Response(DocumentOutput(document).data)


class CollectionDetailAPI(APIView):
    """Delete a collection with all its documents, chunks, postings, grants and unused stored bytes,
    audited (``collection.deleted``): managers of the collection, tokens with the ``admin`` scope.
    404 if it does not exist or you may not read it; 403 ``not_collection_manager`` otherwise."""

    def get_permissions(self):
        return [AdminAccess() if token_of(self.request) is not None else ReadAccess()]

    class Output(serializers.Serializer):
        collection = serializers.SlugField()
        documents = serializers.IntegerField(help_text="documents deleted")
        chunks = serializers.IntegerField(help_text="chunks deleted")

    @extend_schema(responses={200: Output, 403: OpenApiResponse(description="Not a manager of the collection"),
                              404: OpenApiResponse(description="No such collection")})
    def delete(self, request, slug: str):
        """200 with what was deleted (counts); the service's 403/404 propagate."""
        result = collection_delete(slug=slug, user=request.user, token=token_of(request))
        return Response(self.Output(result).data)
