"""compose.yaml describes production: the services exist and are wired by environment."""
import shutil
import subprocess
from pathlib import Path

import pytest

import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ("web", "worker", "beat")


def test_it_declares_every_production_service():
    assert set(SERVICES) == {"proxy", "postgres", "redis", "vllm", "migrate", "web", "worker", "worker-ingest",
                             "beat"}


def test_postgres_image_bundles_pgvector():
    assert SERVICES["postgres"]["image"].startswith("pgvector/pgvector:")


def _served_names() -> list[str]:
    """The names after vLLM's ``--served-model-name`` (``=NAME`` or a list of following arguments)."""
    command = SERVICES["vllm"]["command"]
    for i, arg in enumerate(command):
        if arg.startswith("--served-model-name="):
            return [arg.split("=", 1)[1]]
        if arg == "--served-model-name":
            names = []
            for following in command[i + 1:]:
                if following.startswith("--"):
                    break
                names.append(following)
            return names
    return []


def test_vllm_reserves_a_gpu_and_serves_an_openai_compatible_model():
    vllm = SERVICES["vllm"]
    assert vllm["image"].startswith("vllm/vllm-openai")
    devices = vllm["deploy"]["resources"]["reservations"]["devices"]
    assert any("gpu" in d["capabilities"] for d in devices)
    assert _served_names(), "the served model name must be pinned so LLM_MODEL can match it"


def test_the_canary_candidate_is_served_too():
    env = SERVICES["web"]["environment"]
    assert env["LLM_CANDIDATE_MODEL"] in _served_names()


def test_web_and_worker_get_every_endpoint_from_the_environment():
    served_name = _served_names()[0]
    for name in ("web", "worker"):
        env = SERVICES[name]["environment"]
        assert env["DATABASE_URL_FILE"] == "/run/secrets/database_url"
        assert "DATABASE_URL" in env or "DATABASE_URL_FILE" in env
        assert env["REDIS_URL"].startswith("redis://redis:")
        assert env["LLM_BASE_URL"].startswith("http://vllm:")
        assert env["LLM_MODEL"] == served_name
        assert env["HF_HUB_OFFLINE"] == "1"
        secrets = set(SERVICES[name]["secrets"])
        for var, value in env.items():
            if var.endswith("_FILE"):
                assert value.removeprefix("/run/secrets/") in secrets, f"{var} points at an undeclared secret"
        deps = SERVICES[name]["depends_on"]
        assert deps["postgres"]["condition"] == "service_healthy"
        assert deps["redis"]["condition"] == "service_healthy"


def test_worker_runs_celery_on_the_project_app():
    assert SERVICES["worker"]["command"][:3] == ["celery", "-A", "rag"]


def test_ingestion_has_its_own_workers_so_interactive_tasks_never_queue_behind_it():
    def queues(name):
        command = SERVICES[name]["command"]
        return set(command[command.index("-Q") + 1].split(","))

    assert queues("worker") == {"interactive", "maintenance"}
    assert queues("worker-ingest") == {"ingest"}
    assert "egress" not in SERVICES["worker-ingest"]["networks"]
    assert "replicas" in SERVICES["worker-ingest"]["deploy"]


def test_the_app_connects_as_the_app_role_and_only_migrate_holds_the_owner_url():
    for name in APP_SERVICES:
        assert SERVICES[name]["environment"]["DATABASE_URL_FILE"] == "/run/secrets/database_url"
        assert "database_owner_url" not in SERVICES[name]["secrets"]
        assert "postgres_password" not in SERVICES[name]["secrets"]
        assert SERVICES[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    migrate = SERVICES["migrate"]
    assert migrate["command"][:3] == ["python", "manage.py", "migrate"]
    assert migrate["environment"]["DATABASE_URL_FILE"] == "/run/secrets/database_owner_url"
    assert migrate["environment"]["DATABASE_APP_ROLE"] == "perimeter_app"
    assert "migrate" not in " ".join(SERVICES["web"]["command"])  # the app role could not run it


def test_the_database_superuser_is_used_only_to_create_the_roles():
    postgres = SERVICES["postgres"]
    assert postgres["environment"]["POSTGRES_USER"] == "postgres"
    init = next(v for v in postgres["volumes"] if v.endswith(":/docker-entrypoint-initdb.d:ro"))
    script = (ROOT / init.split(":")[0]).resolve() / "10-perimeter-roles.sh"
    sql = script.read_text()
    assert "CREATE ROLE perimeter_owner LOGIN NOSUPERUSER" in sql
    assert "CREATE ROLE perimeter_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE" in sql
    assert "ALTER DATABASE perimeter OWNER TO perimeter_owner" in sql
    assert "`cat /run/secrets/db_app_password`" in sql  # read by psql, never on a command line
    assert {"db_owner_password", "db_app_password"} <= set(postgres["secrets"])


def test_the_audit_key_and_checkpoints_live_outside_the_database():
    for name in ("migrate", *APP_SERVICES):
        env = SERVICES[name]["environment"]
        assert env["AUDIT_KEY_FILE"] == "/run/secrets/audit_key" and "AUDIT_KEY" not in env
        assert "audit_key" in SERVICES[name]["secrets"]
    for name in ("web", "worker"):
        assert "auditlog:/audit" in SERVICES[name]["volumes"]
        assert SERVICES[name]["environment"]["AUDIT_CHECKPOINT_PATH"].startswith("/audit/")
    assert "auditlog" in COMPOSE["volumes"] and "auditlog" not in " ".join(SERVICES["postgres"]["volumes"])
    assert SERVICES["beat"]["command"][:4] == ["celery", "-A", "rag", "beat"]


def test_every_secret_file_variable_points_at_a_declared_secret():
    for name, service in SERVICES.items():
        for var, value in (service.get("environment") or {}).items():
            if var.endswith("_FILE"):
                secret = value.removeprefix("/run/secrets/")
                assert secret in service.get("secrets", []) and secret in COMPOSE["secrets"], (name, var)


LONG_RUNNING = ("proxy", "postgres", "redis", "vllm", "web", "worker", "beat")


def test_every_long_running_service_restarts_itself_and_has_a_healthcheck():
    for name in LONG_RUNNING:
        assert SERVICES[name]["restart"] == "unless-stopped", name
        assert SERVICES[name]["healthcheck"]["test"][0] in ("CMD", "CMD-SHELL"), name
    assert SERVICES["migrate"]["restart"] == "no"


def test_the_web_healthcheck_is_readyz_and_workers_prove_their_heartbeat():
    assert "http://127.0.0.1:8000/readyz" in SERVICES["web"]["healthcheck"]["test"]
    assert SERVICES["worker"]["healthcheck"]["test"][-3:] == ["-m", "rag.ops.probe", "worker"]
    assert "fresh" in SERVICES["beat"]["healthcheck"]["test"]
    assert (ROOT / "rag" / "ops" / "probe.py").is_file()


def test_only_the_tls_proxy_publishes_ports_and_data_services_have_no_route_out():
    published = [name for name, service in SERVICES.items() if service.get("ports")]
    assert published == ["proxy"] and SERVICES["proxy"]["ports"] == ["443:443", "80:80"]
    assert COMPOSE["networks"]["internal"]["internal"] is True
    for name in ("postgres", "redis", "vllm", "migrate", "beat"):
        assert SERVICES[name]["networks"] == ["internal"], name
    assert "internal" not in SERVICES["proxy"]["networks"]  # the proxy reaches web only
    assert SERVICES["web"]["depends_on"]["vllm"]["condition"] == "service_started"


def test_the_proxy_terminates_tls_with_hsts_and_hides_the_operations_endpoints():
    caddyfile = (ROOT / "deploy" / "caddy" / "Caddyfile").read_text()
    assert "tls /run/secrets/tls_cert /run/secrets/tls_key" in caddyfile
    assert 'Strict-Transport-Security "max-age=31536000; includeSubDomains"' in caddyfile
    assert "@ops path /metrics /metrics/* /readyz" in caddyfile and "respond @ops 404" in caddyfile
    assert "header_up X-Request-ID {http.request.uuid}" in caddyfile
    assert {"tls_cert", "tls_key"} <= set(SERVICES["proxy"]["secrets"]) <= set(COMPOSE["secrets"])


def test_the_model_budgets_fit_the_served_model_not_the_dev_model():
    env = SERVICES["web"]["environment"]
    max_len = int(next(a for a in SERVICES["vllm"]["command"] if a.startswith("--max-model-len=")).split("=")[1])
    answer_tokens, context_chars = int(env["LLM_MAX_TOKENS"]), int(env["LLM_CONTEXT_CHAR_BUDGET"])
    assert context_chars > 4500 and answer_tokens > 256  # above the 135M dev model's defaults
    assert context_chars / 3.5 + answer_tokens + 1000 <= max_len  # ~3.5 characters per token


def test_the_file_validates_against_the_official_compose_specification_schema():
    """The compose-spec JSON schema (deploy/schemas/compose-spec.json: the copy check-jsonschema
    0.39.0 vendors as ``vendor.compose-spec``, Apache-2.0), so an unknown or misspelt key fails
    here without Docker. Same check from a shell: ``check-jsonschema --builtin-schema
    vendor.compose-spec compose.yaml``."""
    import json

    import jsonschema

    schema = json.loads((ROOT / "deploy" / "schemas" / "compose-spec.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(COMPOSE))
    assert errors == []
    misspelt = yaml.safe_load((ROOT / "compose.yaml").read_text())
    misspelt["services"]["redis"]["healthcheck"]["intervall"] = "5s"
    assert any("intervall" in e.message or "unexpected" in e.message for e in validator.iter_errors(misspelt))


@pytest.mark.skipif(subprocess.run(["docker", "compose", "version"], capture_output=True).returncode != 0
                    if shutil.which("docker") else True, reason="docker compose (the plugin) is not installed; "
                    "the schema test above validates the file without it")
def test_docker_compose_validates_the_file_against_the_compose_specification():
    result = subprocess.run(["docker", "compose", "-f", str(ROOT / "compose.yaml"), "config", "--quiet"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_the_grafana_dashboard_charts_metrics_the_app_exports():
    import json
    import re

    dashboard = json.loads((ROOT / "deploy" / "grafana" / "perimeter-dashboard.json").read_text())
    exprs = " ".join(t["expr"] for p in dashboard["panels"] for t in p["targets"])
    metrics_module = (ROOT / "rag" / "ops" / "metrics.py").read_text()
    for name in set(re.findall(r"perimeter_[a-z_]+", exprs)):
        base = re.sub(r"_(total|bucket)$", "", name)
        assert base in metrics_module, name


def test_the_app_runs_the_production_settings_with_every_key_from_a_secret_file():
    """tests/test_settings.py runs `manage.py check --deploy` with exactly this environment."""
    for name in ("migrate", *APP_SERVICES):
        env = SERVICES[name]["environment"]
        assert env["PERIMETER_ENV"] == "production" and env.get("DJANGO_DEBUG", "0") in ("0", "false", False)
        for variable, secret in (("DJANGO_SECRET_KEY", "django_secret_key"), ("VAULT_KEY", "vault_key"),
                                 ("AUDIT_KEY", "audit_key")):
            assert env[f"{variable}_FILE"] == f"/run/secrets/{secret}" and variable not in env
            assert secret in SERVICES[name]["secrets"] and secret in COMPOSE["secrets"]
        assert all(o.startswith("https://") for o in env["DJANGO_CSRF_TRUSTED_ORIGINS"].split(","))


def test_the_client_address_is_taken_from_the_one_proxy_in_front_of_web():
    proxies = [name for name, service in SERVICES.items() if "443:443" in service.get("ports", [])]
    assert len(proxies) == 1 and not SERVICES["web"].get("ports")  # web is reached through the proxy only
    assert SERVICES["web"]["environment"]["TRUSTED_PROXY_COUNT"] == str(len(proxies))
