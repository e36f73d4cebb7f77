from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from ingest import api as ingest_api
from ingest import views as ingest_views
from rag.access import api as access_api
from rag.openai_api import api as openai_api
from rag.ops import views as ops_views
from rag.qa import api as qa_api
from rag.qa import feedback_api
from rag.qa import views as qa_views
from rag.search import api as search_api

urlpatterns = [
    path("", qa_views.ask_page, name="ask"),
    path("ask/stream", qa_views.ask_stream, name="ask-stream"),
    path("documents/", ingest_views.documents_page, name="documents"),
    path("sources/<int:chunk_id>/", ingest_views.source_page, name="source"),
    path("accounts/login/", auth_views.LoginView.as_view(extra_context={"oidc_enabled": settings.OIDC_ENABLED}),
         name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/query", qa_api.QueryAPI.as_view(), name="api-query"),
    path("api/v1/questions/<int:question_id>/feedback", feedback_api.FeedbackAPI.as_view(), name="api-feedback"),
    path("api/v1/search", search_api.SearchAPI.as_view(), name="api-search"),
    path("api/v1/documents", ingest_api.DocumentListUploadAPI.as_view(), name="api-documents"),
    path("api/v1/documents/<int:document_id>", ingest_api.DocumentDetailAPI.as_view(), name="api-document-detail"),
    path("api/v1/collections", access_api.CollectionListAPI.as_view(), name="api-collections"),
    path("api/v1/collections/<slug:slug>", ingest_api.CollectionDetailAPI.as_view(), name="api-collection-detail"),
    path("documents/<int:document_id>/delete", ingest_views.document_delete_page, name="document-delete"),
    path("collections/<slug:slug>/delete", ingest_views.collection_delete_page, name="collection-delete"),
    path("api/v1/tokens", access_api.APITokenListAPI.as_view(), name="api-tokens"),
    path("v1/chat/completions", openai_api.ChatCompletionsAPI.as_view(), name="openai-chat-completions"),
    path("v1/models", openai_api.ModelListAPI.as_view(), name="openai-models"),
    path("", include("rag.fallback.urls")),
    path("", include("rag.ui.urls")),
    path("admin-console/audit/", include("rag.audit.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", ops_views.healthz, name="healthz"),
    path("readyz", ops_views.ReadyView.as_view(), name="readyz"),
    path("metrics", ops_views.metrics, name="metrics"),  # internal network or METRICS_TOKEN only
]
handler404 = "rag.access.views.not_found"  # JSON error body under /api/ and /v1/
if settings.OIDC_ENABLED:  # /oidc/authenticate/ and /oidc/callback/ (mozilla-django-oidc)
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
