"""Mounted by the project at the root: ``path("", include("rag.fallback.urls"))``."""
from django.urls import path

from rag.fallback import api, views

urlpatterns = [
    path("questions/<int:question_id>/external/", views.question_escalate_page, name="fallback-question"),
    path("fallback/<int:request_id>/", views.request_page, name="fallback-request"),
    path("admin-console/approvals/", views.approval_queue, name="fallback-approvals"),
    path("admin-console/approvals/<int:request_id>/approve", views.decide, {"decision": "approve"},
         name="fallback-approve"),
    path("admin-console/approvals/<int:request_id>/reject", views.decide, {"decision": "reject"},
         name="fallback-reject"),
    path("api/v1/questions/<int:question_id>/escalate", api.EscalateAPI.as_view(), name="api-question-escalate"),
    path("api/v1/fallback", api.FallbackListAPI.as_view(), name="api-fallback-list"),
    path("api/v1/fallback/<int:request_id>", api.FallbackDetailAPI.as_view(), name="api-fallback-detail"),
    path("api/v1/fallback/<int:request_id>/approve", api.FallbackApproveAPI.as_view(), name="api-fallback-approve"),
    path("api/v1/fallback/<int:request_id>/reject", api.FallbackRejectAPI.as_view(), name="api-fallback-reject"),
]
