from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from ingest import api as ingest_api
from ingest import views as ingest_views
from rag.qa import api as qa_api
from rag.qa import views as qa_views

urlpatterns = [
    path("", qa_views.ask_page, name="ask"),
    path("ask/stream", qa_views.ask_stream, name="ask-stream"),
    path("documents/", ingest_views.documents_page, name="documents"),
    path("sources/<int:chunk_id>/", ingest_views.source_page, name="source"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/query", qa_api.QueryAPI.as_view(), name="api-query"),
    path("api/v1/documents", ingest_api.DocumentListUploadAPI.as_view(), name="api-documents"),
    path("api/v1/documents/<int:document_id>", ingest_api.DocumentDetailAPI.as_view(), name="api-document-detail"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
