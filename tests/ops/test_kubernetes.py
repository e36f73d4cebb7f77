"""deploy/kubernetes describes a scale-out deployment an operator can apply: probes on the ops
endpoints, secrets as files, workers per queue, egress closed but for the fallback."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "deploy" / "kubernetes" / "base"
OVERLAY = ROOT / "deploy" / "kubernetes" / "overlays" / "production"


def _base() -> list[dict]:
    kustomization = yaml.safe_load((BASE / "kustomization.yaml").read_text())
    return [doc for name in kustomization["resources"] for doc in yaml.safe_load_all((BASE / name).read_text()) if doc]


RESOURCES = _base()
BY_KIND_NAME = {(r["kind"], r["metadata"]["name"]): r for r in RESOURCES}
APP_DEPLOYMENTS = ("web", "worker", "worker-ingest", "beat")


def _pod(kind: str, name: str) -> dict:
    return BY_KIND_NAME[(kind, name)]["spec"]["template"]["spec"]


def test_it_declares_web_workers_per_queue_beat_migrations_and_the_model_server():
    assert {("Deployment", n) for n in (*APP_DEPLOYMENTS, "vllm")} | {("Job", "perimeter-migrate")} <= set(BY_KIND_NAME)
    commands = {n: " ".join(_pod("Deployment", n)["containers"][0]["command"]) for n in APP_DEPLOYMENTS}
    assert "-Q interactive,maintenance" in commands["worker"] and "-Q ingest" in commands["worker-ingest"]
    assert commands["beat"].startswith("celery -A rag beat")
    assert BY_KIND_NAME[("Deployment", "beat")]["spec"]["replicas"] == 1  # exactly one scheduler
    assert _pod("Job", "perimeter-migrate")["containers"][0]["command"][:3] == ["python", "manage.py", "migrate"]


def test_web_is_probed_on_healthz_and_readyz_and_workers_on_their_heartbeat():
    web = _pod("Deployment", "web")["containers"][0]
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert {"name": "Host", "value": "perimeter.internal"} in web["readinessProbe"]["httpGet"]["httpHeaders"]
    for name in ("worker", "worker-ingest"):
        probe = _pod("Deployment", name)["containers"][0]["livenessProbe"]["exec"]["command"]
        assert probe == ["python", "-m", "rag.ops.probe", "worker"]
    assert "fresh" in _pod("Deployment", "beat")["containers"][0]["livenessProbe"]["exec"]["command"]


def test_secrets_arrive_as_files_and_only_the_migration_holds_the_owner_url():
    env = BY_KIND_NAME[("ConfigMap", "perimeter-env")]["data"]
    for var in ("DATABASE_URL", "AUDIT_KEY", "VAULT_KEY", "DJANGO_SECRET_KEY"):
        assert var not in env and env[f"{var}_FILE"].startswith("/run/secrets/perimeter/")
    assert not [r for r in RESOURCES if r["kind"] == "Secret"]  # created by the operator, never in git
    for name in APP_DEPLOYMENTS:
        volumes = {v["name"]: v for v in _pod("Deployment", name)["volumes"]}
        assert volumes["secrets"]["secret"]["secretName"] == "perimeter-secrets"
        assert "owner" not in volumes
    assert {v["name"] for v in _pod("Job", "perimeter-migrate")["volumes"]} == {"secrets", "owner"}


def test_every_container_has_resources_and_runs_unprivileged():
    for (kind, name), resource in BY_KIND_NAME.items():
        if kind not in ("Deployment", "Job"):
            continue
        pod = resource["spec"]["template"]["spec"]
        for container in pod["containers"]:
            assert container["resources"]["requests"] and container["resources"]["limits"], name
            if name != "vllm":
                assert pod["securityContext"]["runAsNonRoot"] is True, name
                assert container["securityContext"]["allowPrivilegeEscalation"] is False, name
    assert _pod("Deployment", "vllm")["containers"][0]["resources"]["limits"]["nvidia.com/gpu"] == 1


def test_ingestion_workers_scale_on_the_queue_depth_the_app_exports():
    hpa = BY_KIND_NAME[("HorizontalPodAutoscaler", "worker-ingest")]["spec"]
    assert hpa["scaleTargetRef"]["name"] == "worker-ingest"
    metric = hpa["metrics"][0]["external"]["metric"]
    assert metric == {"name": "perimeter_ingest_queue_depth", "selector": {"matchLabels": {"queue": "ingest"}}}
    assert "perimeter_ingest_queue_depth" in (ROOT / "rag" / "ops" / "metrics.py").read_text()


def test_egress_is_denied_except_data_dns_the_model_and_the_fallback_from_the_sending_worker():
    policies = {name: r["spec"] for (kind, name), r in BY_KIND_NAME.items() if kind == "NetworkPolicy"}
    assert policies["default-deny"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
    outside = [name for name, spec in policies.items() for rule in spec.get("egress", [])
               if any({"protocol": "TCP", "port": 443} == p for p in rule.get("ports", []))]
    assert outside == ["worker-fallback-egress"]
    assert policies["worker-fallback-egress"]["podSelector"] == {"matchLabels": {"app.kubernetes.io/name": "worker"}}
    assert policies["vllm"]["policyTypes"] == ["Ingress", "Egress"] and "egress" not in policies["vllm"]


@pytest.mark.skipif(not shutil.which("kubectl"), reason="kubectl (for kustomize) is not installed")
def test_the_production_overlay_renders_with_its_addresses_and_image():
    rendered = subprocess.run(["kubectl", "kustomize", str(OVERLAY)], capture_output=True, text=True)
    assert rendered.returncode == 0, rendered.stderr
    docs = [d for d in yaml.safe_load_all(rendered.stdout) if d]
    assert all(d["metadata"].get("namespace") == "perimeter" for d in docs if d["kind"] != "Namespace")
    images = {c["image"] for d in docs if d["kind"] == "Deployment" for c in d["spec"]["template"]["spec"]["containers"]}
    assert "registry.internal/perimeter:0.1.0" in images
    assert "203.0.113.0/28" not in rendered.stdout and "198.51.100.0/28" not in rendered.stdout
    pytest.importorskip("kubernetes_validate", reason="kubernetes-validate is not installed (see README)")
    import kubernetes_validate

    for doc in docs:
        kubernetes_validate.validate(doc, "1.32.0", strict=True)
