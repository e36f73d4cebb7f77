"""Mounted by the project at ``admin-console/audit/``."""
from django.urls import path

from rag.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_list, name="list"),
    path("export.<str:export_format>", views.audit_export, name="export"),
]
