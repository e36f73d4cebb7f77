"""Mounted by the project at the root: ``path("", include("rag.ui.urls"))``."""
from django.urls import path

from rag.ui import model_views, source_views, views

app_name = "ui"

urlpatterns = [
    path("history/", views.history_page, name="history"),
    path("history/<int:question_id>/", views.history_question_page, name="question"),
    path("admin-console/access/", views.access_page, name="access"),
    path("admin-console/access/<int:collection_id>/grant", views.access_change, {"change": "grant"},
         name="access-grant"),
    path("admin-console/access/<int:collection_id>/revoke", views.access_change, {"change": "revoke"},
         name="access-revoke"),
    path("admin-console/access/<int:collection_id>/open", views.access_change, {"change": "open"},
         name="access-open"),
    path("admin-console/models/", model_views.models_page, name="models"),
    path("admin-console/models/rollouts", model_views.rollout_start_view, name="rollout-start"),
    path("admin-console/models/rollouts/<int:rollout_id>/promote", model_views.rollout_end_view,
         {"action": "promote"}, name="rollout-promote"),
    path("admin-console/models/rollouts/<int:rollout_id>/rollback", model_views.rollout_end_view,
         {"action": "rollback"}, name="rollout-rollback"),
    path("admin-console/feedback/", model_views.feedback_negative_page, name="feedback"),
    path("admin-console/ingestion/", views.ingestion_health_page, name="ingestion"),
    path("admin-console/ingestion/<int:document_id>/rerun", views.document_rerun, name="document-rerun"),
    path("admin-console/sources/", source_views.sources_page, name="sources"),
    path("admin-console/sources/add", source_views.source_add, name="source-add"),
    path("admin-console/sources/<int:source_id>/scan", source_views.source_change, {"change": "scan"},
         name="source-scan"),
    path("admin-console/sources/<int:source_id>/remove", source_views.source_change, {"change": "remove"},
         name="source-remove"),
]
