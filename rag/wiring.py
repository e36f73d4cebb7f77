"""How Django, DRF and drf-spectacular are wired together in Perimeter: the fixed part of the settings.

Nothing here is read from the environment and nothing varies between deployments: the
installed apps in layer order, middleware, templates, password validation, URLs, static
files and the REST framework. :mod:`rag.settings` imports these names and holds everything
an operator configures (grouped by concern, each variable documented once in the README);
it extends a list here only by building a new one (single sign-on adds its app and backend).
"""
from __future__ import annotations

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",  # sign-in lockout (settings in the Access block)
    # Ours, lowest layer first (the import-linter contracts in pyproject.toml say which may import which).
    "rag.core",
    "rag.audit",
    "rag.privacy",
    "rag.llm",
    "ingest",
    "rag.search",
    "rag.qa",
    "rag.access",
    "rag.fallback",
    "rag.ui",
    "django_prometheus",
    "rag.ops",  # health, metrics, JSON logs with request ids (observes every app above)
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",  # request latency by view (rag.ops.metrics)
    "rag.ops.middleware.RequestIdMiddleware",  # X-Request-ID, bound to every log line and task
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # after auth, as django-axes requires: renders the lockout page
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "rag.urls"
WSGI_APPLICATION = "rag.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rag.ui.context_processors.approvals_pending",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "templates" / "static"]
WHITENOISE_USE_FINDERS = True  # embedded mode and tests serve static files without collectstatic

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rag.access.authentication.APITokenAuthentication",  # Authorization: Bearer pmt_...
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["rag.access.throttling.PrincipalRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "rag.access.openapi.PerimeterAutoSchema",  # distinct names for nested Input/Output
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "rag.core.api.exception_handler",  # the one error body
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Perimeter API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",  # served locally: nothing is fetched from a CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "rag.access.openapi.error_responses_add",
    ],
}
