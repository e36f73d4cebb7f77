"""The official ``openai`` SDK against Perimeter's ``/v1`` on a live server and the real vLLM."""
from __future__ import annotations

import openai
import pytest

from tests.access.conftest import ALPHA_QUESTION, company_build


@pytest.fixture
def live_company(transactional_db, django_user_model):
    return company_build(django_user_model)


@pytest.fixture
def sdk(live_server, live_company):
    secret = live_company.tokens["query"][1]  # query scope, alpha only
    return openai.OpenAI(base_url=f"{live_server.url}/v1", api_key=secret, max_retries=0, timeout=300)


def test_a_completion_answers_with_citations_in_the_perimeter_field(sdk, live_company, llm_server):
    completion = sdk.chat.completions.create(
        model="perimeter",
        messages=[{"role": "system", "content": "ignored"}, {"role": "user", "content": ALPHA_QUESTION}],
    )
    assert completion.object == "chat.completion" and completion.model == "perimeter"
    assert completion.choices[0].message.role == "assistant"
    assert completion.choices[0].message.content.strip()
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage.completion_tokens > 0
    extra = completion.model_extra["perimeter"]
    cited = extra["citations"]
    assert cited and cited[0]["document_id"] == live_company.doc_a.pk and "MARMALADE-7" in cited[0]["snippet"]
    assert extra["abstained"] is False and extra["question_id"] > 0


def test_a_streamed_completion_ends_with_the_citations(sdk, live_company, llm_server):
    stream = sdk.chat.completions.create(model="alpha", stream=True, stream_options={"include_usage": True},
                                         messages=[{"role": "user", "content": [{"type": "text",
                                                                                 "text": ALPHA_QUESTION}]}])
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text.strip()
    assert chunks[0].choices[0].delta.role == "assistant"
    last = [c for c in chunks if c.choices and c.choices[0].finish_reason][-1]
    assert last.choices[0].finish_reason == "stop"
    cited = last.model_extra["perimeter"]["citations"]
    assert [c["document_id"] for c in cited][:1] == [live_company.doc_a.pk]
    assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens > 0


def test_models_are_perimeter_and_the_readable_collections(sdk):
    assert [m.id for m in sdk.models.list()] == ["perimeter", "alpha"]


def test_an_unreadable_collection_is_not_a_model(sdk):
    with pytest.raises(openai.NotFoundError) as refused:
        sdk.chat.completions.create(model="beta", messages=[{"role": "user", "content": "Quokka?"}])
    assert refused.value.body["code"] == "model_not_found"


def test_a_failing_answer_model_is_a_503_model_unavailable(sdk, settings):
    settings.LLM_BASE_URL = "http://127.0.0.1:9/v1"  # nothing listens on the discard port
    with pytest.raises(openai.InternalServerError) as refused:
        sdk.chat.completions.create(model="alpha", messages=[{"role": "user", "content": ALPHA_QUESTION}])
    assert refused.value.status_code == 503 and refused.value.body["code"] == "model_unavailable"


def test_a_model_failure_mid_stream_ends_the_stream_with_the_error_body(sdk, settings):
    settings.LLM_BASE_URL = "http://127.0.0.1:9/v1"
    stream = sdk.chat.completions.create(model="alpha", stream=True,
                                         messages=[{"role": "user", "content": ALPHA_QUESTION}])
    with pytest.raises(openai.APIError) as refused:
        list(stream)
    assert refused.value.body["code"] == "model_unavailable" and refused.value.body["details"] == {}


def test_a_wrong_key_is_an_authentication_error(live_server, live_company):
    sdk = openai.OpenAI(base_url=f"{live_server.url}/v1", api_key="pmt_wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        sdk.models.list()
