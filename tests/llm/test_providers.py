"""The provider layer: the registry, the exact bytes on the wire, the error contract.

The external providers talk to the stand-in (tests/standin), the local one to
the real vLLM server; nothing of rag.llm is faked.
"""
from __future__ import annotations

import pytest

from rag.llm.base import ChatMessage, LLMError
from rag.llm.registry import PROVIDERS, provider_get
from rag.llm.wire import PayloadMismatch, provider_for_payload
from tests.standin.server import StandinServer

OPENAI_KEY = "sk-standin-llm-test"
ANTHROPIC_KEY = "sk-ant-standin-llm-test"
MESSAGES = [ChatMessage("system", "Answer briefly."), ChatMessage("user", "Wann öffnet der Parkplatz? <PERSON_1>")]


@pytest.fixture(scope="module")
def standin():
    server = StandinServer(openai_key=OPENAI_KEY, anthropic_key=ANTHROPIC_KEY).start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def external_at_standin(standin, settings):
    settings.FALLBACK_OPENAI_BASE_URL = f"{standin.url}/v1"
    settings.FALLBACK_OPENAI_API_KEY = OPENAI_KEY
    settings.FALLBACK_ANTHROPIC_BASE_URL = standin.url
    settings.FALLBACK_ANTHROPIC_API_KEY = ANTHROPIC_KEY
    standin.reset()


def test_every_provider_is_built_from_the_settings_of_the_moment(settings):
    settings.FALLBACK_ANTHROPIC_MODEL = "claude-test-1"

    built = {name: provider_get(name) for name in PROVIDERS}

    assert {name: (p.name, p.model_id) for name, p in built.items()} == {
        "local": ("vllm", settings.LLM_MODEL),
        "openai": ("openai", settings.FALLBACK_OPENAI_MODEL),
        "anthropic": ("anthropic", "claude-test-1"),
    }


def test_it_refuses_an_unknown_provider():
    with pytest.raises(KeyError, match="known: anthropic, local, openai"):
        provider_get("mistral")


@pytest.mark.parametrize(("name", "path"), [("openai", "/v1/chat/completions"), ("anthropic", "/v1/messages")])
def test_the_provider_sends_exactly_its_request_bytes(name, path, standin):
    provider = provider_get(name)
    body = provider.request_bytes(messages=MESSAGES, max_tokens=32, temperature=0.0)

    result = provider.chat(messages=MESSAGES, max_tokens=32, temperature=0.0)

    [received] = standin.requests
    assert (received.path, received.body) == (path, body)
    assert "Wann öffnet".encode() in body  # UTF-8 as is, not \u escapes
    assert result.text == "The answer concerns <PERSON_1>." and result.prompt_tokens > 0


def test_the_anthropic_body_carries_the_system_prompt_at_the_top_level():
    body = provider_get("anthropic").request_body(messages=MESSAGES, max_tokens=32, temperature=0.0)

    assert body["system"] == "Answer briefly."
    assert [m["role"] for m in body["messages"]] == ["user"]


@pytest.mark.parametrize("name", ["openai", "anthropic"])
def test_a_stored_body_gives_back_the_call_that_sends_it(name):
    body = provider_get(name).request_bytes(messages=MESSAGES, max_tokens=32, temperature=0.0)

    provider, messages, max_tokens, temperature = provider_for_payload(provider_name=name, payload=body)

    assert (messages, max_tokens, temperature) == (MESSAGES, 32, 0.0)
    assert provider.request_bytes(messages=messages, max_tokens=max_tokens, temperature=temperature) == body


def test_it_refuses_a_body_the_provider_as_configured_now_would_not_send(settings):
    body = provider_get("openai").request_bytes(messages=MESSAGES, max_tokens=32, temperature=0.0)
    settings.FALLBACK_OPENAI_MODEL = "another-model"

    with pytest.raises(PayloadMismatch, match="different bytes"):
        provider_for_payload(provider_name="openai", payload=body)
    with pytest.raises(PayloadMismatch, match="not a valid OpenAI Chat Completions request body"):
        provider_for_payload(provider_name="openai", payload=b'{"model": "another-model"}')


@pytest.mark.parametrize("name", ["openai", "anthropic"])
def test_a_server_error_is_transient_and_a_refused_key_is_permanent(name, standin, settings):
    standin.fail_next(1, status=500)
    with pytest.raises(LLMError) as transient:
        provider_get(name).chat(messages=MESSAGES, max_tokens=32, temperature=0.0)
    setattr(settings, f"FALLBACK_{name.upper()}_API_KEY", "wrong-key")
    with pytest.raises(LLMError) as permanent:
        provider_get(name).chat(messages=MESSAGES, max_tokens=32, temperature=0.0)

    assert transient.value.permanent is False and "InternalServerError" in str(transient.value)
    assert permanent.value.permanent is True and "AuthenticationError" in str(permanent.value)
    assert len(standin.requests) == 2  # no SDK-level retries: every attempt is the caller's


@pytest.mark.django_db
def test_the_local_model_answers_and_the_call_is_recorded(llm_server):
    from rag.llm.models import LLMCall
    from rag.llm.services import llm_chat

    result, call = llm_chat(provider=provider_get("local"), messages=[ChatMessage("user", "Say hello.")],
                            prompt_version="test-v1", purpose="test", max_tokens=8)

    assert result.text and result.raw_request["max_tokens"] == 8
    call = LLMCall.objects.get(pk=call.pk)
    assert (call.provider, call.status, call.purpose) == ("vllm", "ok", "test")
    assert call.prompt_tokens > 0 and 0 < call.completion_tokens <= 8 and call.latency_ms >= 0
