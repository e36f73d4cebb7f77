"""Shadow mode: the candidate answers the stable model's question unseen, stored for comparison."""
from __future__ import annotations

import pytest

from rag.llm.models import LLMCall
from rag.llm.rollout import rollout_start
from rag.qa.models import Question, ShadowAnswer
from rag.qa.services import question_answer
from rag.qa.shadow import shadow_answer
from tests.factories import document_ingested

pytestmark = pytest.mark.django_db


def test_the_candidate_answers_in_the_shadow_and_the_asker_sees_only_the_stable_answer(
        user, admin_user_obj, llm_server, django_capture_on_commit_callbacks):
    document_ingested(source="hr/leave.md", text="# Annual leave\n\nFull-time staff receive 28 days of annual "
                                                 "leave per year.")
    rollout = rollout_start(candidate="smollm2-135m-v2", share_percent=0, shadow=True, actor=admin_user_obj)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        answer = question_answer(user=user, question="How many days of annual leave do staff get?", top_k=3,
                                 collection_ids=None)
    assert answer.model["arm"] == "stable" and len(callbacks) == 1  # the shadow task, dispatched after commit
    q = Question.objects.get(pk=answer.question_id)
    shadow = shadow_answer(question_id=q.pk, chunk_ids=[c["chunk_id"] for c in q.citations] or q.retrieved_chunk_ids)
    assert shadow.rollout == rollout and shadow.model_name == "smollm2-135m-v2"
    assert shadow.prompt_version == "answer-v2" and (shadow.answer or shadow.error)
    assert shadow.llm_call.arm == "shadow" and shadow.llm_call.purpose == "shadow"
    assert shadow_answer(question_id=q.pk, chunk_ids=[]) == shadow  # idempotent
    assert ShadowAnswer.objects.count() == 1 and q.answer == answer.answer
    assert LLMCall.objects.filter(arm="shadow").count() == 1
