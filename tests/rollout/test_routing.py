"""Canary routing, stickiness, pinned collections, promote and roll back (no model calls)."""
from __future__ import annotations

import json
import math

import pytest
from django.core.exceptions import ImproperlyConfigured

from rag.audit.models import AuditEvent
from rag.core.errors import Conflict
from rag.llm.local_models import registry_load
from rag.llm.rollout import (CANDIDATE, STABLE, RolloutInvalid, RolloutNotActive, arm_route, model_stable_name,
                             rollout_promote, rollout_rollback, rollout_start)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_embedded_registry_has_a_stable_model_and_a_candidate_that_differs_by_prompt_and_decoding():
    registry = registry_load()
    stable, candidate = registry.get("smollm2-135m"), registry.get("smollm2-135m-v2")
    assert registry.stable == "smollm2-135m"
    assert (stable.prompt_version, candidate.prompt_version) == ("answer-v1", "answer-v2")
    assert candidate.sampling["frequency_penalty"] > 0 and candidate.sampling["stop"]
    assert stable.base_url == candidate.base_url


def test_it_routes_the_configured_share_of_1000_askers_to_the_candidate(admin_user_obj):
    rollout = rollout_start(candidate="smollm2-135m-v2", share_percent=10, actor=admin_user_obj)
    arms = [arm_route(asker_key=f"user:{n}", collection_ids=set(), rollout=rollout).arm for n in range(1000)]
    share = arms.count(CANDIDATE) / 1000
    # three binomial standard deviations around 10 %: sqrt(0.1 * 0.9 / 1000) = 0.0095
    assert abs(share - 0.10) < 3 * math.sqrt(0.1 * 0.9 / 1000), share


def test_an_asker_stays_on_one_arm_for_the_whole_rollout(admin_user_obj):
    rollout = rollout_start(candidate="smollm2-135m-v2", share_percent=50, actor=admin_user_obj)
    for n in range(50):
        first = arm_route(asker_key=f"user:{n}", collection_ids=set()).arm
        assert all(arm_route(asker_key=f"user:{n}", collection_ids=set()).arm == first for _ in range(5))
    assert {arm_route(asker_key=f"user:{n}", collection_ids=set(), rollout=rollout).arm
            for n in range(50)} == {STABLE, CANDIDATE}


def test_it_never_routes_answers_from_a_pinned_collection_to_the_candidate(admin_user_obj):
    rollout = rollout_start(candidate="smollm2-135m-v2", share_percent=100, actor=admin_user_obj,
                            pinned_collection_ids=[7])
    assert arm_route(asker_key="user:1", collection_ids={3}, rollout=rollout).arm == CANDIDATE
    routes = [arm_route(asker_key=f"user:{n}", collection_ids={3, 7}, rollout=rollout) for n in range(200)]
    assert {r.arm for r in routes} == {STABLE}
    assert {r.reason for r in routes} == {"pinned collection"}


def test_promote_makes_the_candidate_stable_and_is_audited(admin_user_obj):
    rollout = rollout_start(candidate="smollm2-135m-v2", share_percent=10, actor=admin_user_obj)
    rollout_promote(rollout_id=rollout.pk, actor=admin_user_obj)
    assert model_stable_name() == "smollm2-135m-v2"
    assert arm_route(asker_key="user:1", collection_ids=set()).model.name == "smollm2-135m-v2"
    event = AuditEvent.objects.filter(event_type="rollout.promoted").get()
    assert (event.actor, event.target_id) == ("boss", str(rollout.pk))
    assert event.details["stable_now"] == "smollm2-135m-v2"
    assert AuditEvent.objects.filter(event_type="rollout.started").count() == 1


def test_roll_back_keeps_the_stable_model_and_is_audited(admin_user_obj):
    rollout = rollout_start(candidate="smollm2-135m-v2", share_percent=100, actor=admin_user_obj)
    assert arm_route(asker_key="user:1", collection_ids=set()).arm == CANDIDATE
    rollout_rollback(rollout_id=rollout.pk, actor=admin_user_obj)
    route = arm_route(asker_key="user:1", collection_ids=set())
    assert (route.arm, route.model.name, route.rollout_id) == (STABLE, "smollm2-135m", None)
    assert AuditEvent.objects.filter(event_type="rollout.rolled_back", details__stable_now="smollm2-135m").exists()


def test_it_refuses_to_end_a_rollout_twice(admin_user_obj):
    rollout = rollout_start(candidate="smollm2-135m-v2", share_percent=10, actor=admin_user_obj)
    rollout_rollback(rollout_id=rollout.pk, actor=admin_user_obj)
    with pytest.raises(RolloutNotActive):
        rollout_promote(rollout_id=rollout.pk, actor=admin_user_obj)


def test_it_refuses_a_second_active_rollout_and_unknown_models(admin_user_obj):
    rollout_start(candidate="smollm2-135m-v2", share_percent=10, actor=admin_user_obj)
    with pytest.raises(Conflict):
        rollout_start(candidate="smollm2-135m-v2", share_percent=10, actor=admin_user_obj)
    with pytest.raises(RolloutInvalid):
        rollout_start(candidate="no-such-model", share_percent=10, actor=admin_user_obj)


def test_a_registry_file_replaces_the_embedded_default(settings, tmp_path):
    path = tmp_path / "models.json"
    path.write_text(json.dumps({"stable": "a", "models": [
        {"name": "a", "base_url": "http://gpu-1:8000/v1", "model_id": "m-a", "prompt_version": "answer-v1"},
        {"name": "b", "base_url": "http://gpu-2:8000/v1", "model_id": "m-b", "prompt_version": "answer-v2",
         "context_char_budget": 12000, "max_tokens": 512, "sampling": {"repetition_penalty": 1.1}}]}))
    settings.MODEL_REGISTRY_PATH = str(path)
    registry = registry_load()
    assert registry.stable == "a" and registry.get("b").context_char_budget == 12000
    assert registry.get("b").provider().request_body(messages=[], max_tokens=5, temperature=0)[
        "repetition_penalty"] == 1.1


def test_it_refuses_a_registry_file_with_unknown_sampling_keys(settings, tmp_path):
    path = tmp_path / "models.yaml"
    path.write_text("models:\n  - {name: a, base_url: 'http://x/v1', model_id: m, prompt_version: answer-v1,"
                    " sampling: {logit_bias: {}}}\n")
    settings.MODEL_REGISTRY_PATH = str(path)
    with pytest.raises(ImproperlyConfigured, match="logit_bias"):
        registry_load()


def test_an_evaluation_answers_with_the_chosen_entry_outside_the_canary(admin_user_obj):
    from rag.qa.planning import answer_plan

    rollout_start(candidate="smollm2-135m-v2", share_percent=100, actor=admin_user_obj)
    plan = answer_plan(asker_key="anonymous", question="q", model_name="smollm2-135m")
    route = plan.route_for([])
    assert (route.arm, route.model.name, route.rollout_id) == ("", "smollm2-135m", None)
    assert arm_route(asker_key="anonymous", collection_ids=set()).arm == CANDIDATE
