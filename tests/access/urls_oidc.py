"""The project's URLs as they are with OIDC switched on (rag.urls reads OIDC_ENABLED at import)."""
from django.contrib.auth import views as auth_views
from django.urls import include, path

from rag.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(extra_context={"oidc_enabled": True}), name="login"),
    path("oidc/", include("mozilla_django_oidc.urls")),
    *project_urlpatterns,
]
