"""The project's URLs plus the audit pages (until rag/urls.py includes them)."""
from django.urls import include, path

from rag.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)
if not any(getattr(p, "namespace", None) == "audit" for p in urlpatterns):
    urlpatterns.append(path("admin-console/audit/", include("rag.audit.urls")))
