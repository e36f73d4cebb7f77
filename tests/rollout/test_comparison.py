"""The arm comparison page: figures with intervals from logged questions, promote and roll back in one click."""
from __future__ import annotations

import pytest

from rag.llm.models import LLMCall, Rollout
from rag.llm.rollout import rollout_start
from rag.qa.models import Feedback, Question
from rag.ui.arms import arms_compare, bootstrap_percentile, wilson

pytestmark = pytest.mark.django_db


def test_wilson_intervals_match_the_textbook_values():
    e = wilson(10, 100)  # Wilson 1927; e.g. Newcombe 1998, table I: 0.0552-0.1744
    assert (round(e.low, 4), round(e.high, 4)) == (0.0552, 0.1744)
    assert wilson(0, 10).low == 0.0 and wilson(0, 0).value is None


def test_bootstrap_interval_contains_the_percentile():
    e = bootstrap_percentile(list(range(1, 201)), 50)
    assert e.low <= e.value <= e.high and e.n == 200


def _questions(rollout, arm, n, *, abstained, gen_ms, user, rating=None):
    for i in range(n):
        call = LLMCall.objects.create(provider="vllm", model_id="m", prompt_version="p", purpose="answer",
                                      prompt_tokens=500, completion_tokens=40 + i % 7, latency_ms=gen_ms, arm=arm)
        q = Question.objects.create(text="q", top_k=3, status="abstained" if i < abstained else "answered",
                                    citations=[] if i < abstained else [{"chunk_id": 1}], llm_call=call,
                                    retrieval_ms=30 + i % 5, generation_ms=gen_ms + i % 11, arm=arm,
                                    model_name=arm, rollout=rollout, asked_by=user)
        if rating:
            Feedback.objects.create(question=q, rated_by=user, rating=rating)


def test_the_comparison_tells_a_real_difference_from_noise(admin_user_obj, user):
    from django.utils import timezone
    from datetime import timedelta

    rollout = rollout_start(candidate="smollm2-135m-v2", share_percent=50, actor=admin_user_obj)
    _questions(rollout, "stable", 200, abstained=60, gen_ms=900, user=user, rating="down")
    _questions(rollout, "candidate", 200, abstained=58, gen_ms=600, user=user, rating="up")
    stable, candidate = arms_compare(since=timezone.now() - timedelta(hours=1), until=timezone.now(),
                                     rollout_id=rollout.pk)
    assert (stable.count, candidate.count) == (200, 200)
    assert stable.abstention.value == 0.30 and not stable.differs["abstention"]  # 30 % vs 29 %: noise
    assert stable.differs["generation_p50"] and stable.differs["thumbs_up"]  # 900 ms vs 600 ms; all down vs all up


def test_the_page_shows_both_arms_and_promotes_in_one_click(client, admin_user_obj, user):
    client.force_login(admin_user_obj)
    rollout = rollout_start(candidate="smollm2-135m-v2", share_percent=10, actor=admin_user_obj)
    _questions(rollout, "stable", 5, abstained=1, gen_ms=900, user=user)
    _questions(rollout, "candidate", 3, abstained=0, gen_ms=600, user=user)
    page = client.get("/admin-console/models/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "smollm2-135m-v2" in html and "abstention rate" in html and "20.0 %" in html
    resp = client.post(f"/admin-console/models/rollouts/{rollout.pk}/promote")
    assert resp.status_code == 302
    assert Rollout.objects.get(pk=rollout.pk).status == "promoted"
    assert 'id="stable-model">smollm2-135m-v2<' in client.get("/admin-console/models/").content.decode()


def test_it_refuses_the_models_page_to_non_staff(client, user):
    client.force_login(user)
    assert client.get("/admin-console/models/").status_code == 302  # to the admin sign-in
