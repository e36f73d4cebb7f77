"""compose.yaml describes production: the services exist and are wired by environment."""
from pathlib import Path

import yaml

COMPOSE = yaml.safe_load((Path(__file__).resolve().parents[1] / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]


def test_it_declares_every_production_service():
    assert set(SERVICES) == {"postgres", "redis", "vllm", "web", "worker"}


def test_postgres_image_bundles_pgvector():
    assert SERVICES["postgres"]["image"].startswith("pgvector/pgvector:")


def test_vllm_reserves_a_gpu_and_serves_an_openai_compatible_model():
    vllm = SERVICES["vllm"]
    assert vllm["image"].startswith("vllm/vllm-openai")
    devices = vllm["deploy"]["resources"]["reservations"]["devices"]
    assert any("gpu" in d["capabilities"] for d in devices)
    served = [a for a in vllm["command"] if a.startswith("--served-model-name=")]
    assert served, "the served model name must be pinned so LLM_MODEL can match it"


def test_web_and_worker_get_every_endpoint_from_the_environment():
    served_name = next(a for a in SERVICES["vllm"]["command"] if a.startswith("--served-model-name=")).split("=", 1)[1]
    for name in ("web", "worker"):
        env = SERVICES[name]["environment"]
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
