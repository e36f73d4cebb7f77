from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ingest.models import Document
from ingest.selectors import document_list
from ingest.services import collection_get_or_create, document_register


class DocumentOutput(serializers.ModelSerializer):
    collection = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["id", "collection", "source", "title", "media_type", "sha256", "size_bytes", "privacy_level",
                  "status", "error", "chunk_count", "created_at", "updated_at", "started_at", "finished_at",
                  "status_url"]

    def get_status_url(self, obj) -> str:
        return reverse("api-document-detail", args=[obj.id])


class DocumentListUploadAPI(ListAPIView):
    """List documents (paginated; filter by ``status``, ``collection``) or upload one (multipart ``file``)."""

    serializer_class = DocumentOutput
    parser_classes = [MultiPartParser]

    class UploadInput(serializers.Serializer):
        file = serializers.FileField(allow_empty_file=True)
        collection = serializers.SlugField(required=False, default="default")

    def get_queryset(self):
        return document_list(status=self.request.query_params.get("status"),
                             collection=self.request.query_params.get("collection"))

    @extend_schema(request={"multipart/form-data": UploadInput}, responses={202: DocumentOutput})
    def post(self, request):
        data = self.UploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        if upload.size > settings.INGEST_MAX_UPLOAD_BYTES:
            return Response(
                {"error": {"code": "file_too_large",
                           "message": f"file is {upload.size} bytes; the limit is {settings.INGEST_MAX_UPLOAD_BYTES}",
                           "details": {}}},
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        collection = collection_get_or_create(slug=data.validated_data["collection"])
        registration = document_register(collection=collection, source=upload.name, data=upload.read(),
                                         uploaded_by=request.user, origin=Document.Origin.UPLOAD)
        body = DocumentOutput(registration.document).data
        body["action"] = registration.action
        if registration.action == "rejected":  # stored as failed, so it stays visible
            return Response({"error": {"code": "unsupported_file", "message": registration.document.error,
                                       "details": {"document": body}}},
                            status=status.HTTP_415_UNSUPPORTED_MEDIA_TYPE)
        return Response(body, status=status.HTTP_202_ACCEPTED)


class DocumentDetailAPI(APIView):
    """One document's ingestion status."""

    @extend_schema(responses={200: DocumentOutput})
    def get(self, request, document_id: int):
        return Response(DocumentOutput(get_object_or_404(Document, pk=document_id)).data)
