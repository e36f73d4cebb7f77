"""The registry of local answer models: which OpenAI-compatible servers answer, with what budgets.

An entry (:class:`LocalModel`) names one way of answering: a server (``base_url``),
the model id it serves, the context and answer budgets sized for that model, the
prompt version (the wording, in :mod:`rag.qa.prompts`) and the decoding parameters.
Two entries may share a server and weights and differ only in prompt version and
decoding: that is how the embedded mode runs a stable model and a candidate on one
CPU vLLM (one process, two ``--served-model-name`` aliases).

The registry comes from ``MODEL_REGISTRY_PATH`` (JSON, or YAML by suffix) when set,
else from :func:`registry_default`, built from the ``LLM_*`` settings. File format::

    {"stable": "smollm2-135m",
     "models": [{"name": "smollm2-135m", "base_url": "http://vllm:8000/v1",
                 "model_id": "smollm2-135m-instruct", "context_char_budget": 4500,
                 "max_tokens": 256, "prompt_version": "answer-v1",
                 "sampling": {}, "api_key": ""}, ...]}

``stable`` is the model that answers when no rollout says otherwise
(:mod:`rag.llm.rollout`). Which model is stable *now* is the rollout history's
business; this file is the starting point.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from rag.llm.openai_compatible import OpenAICompatibleProvider

# Decoding parameters an entry may set (vLLM's Chat Completions extensions included).
SAMPLING_KEYS = ("frequency_penalty", "presence_penalty", "repetition_penalty", "stop", "top_p", "seed")

# The candidate of the embedded mode: prompt "answer-v2" with repetition control and a stop
# on runaway numbered lists (a 135M model tends to loop "1. ... 2. ... 17. ...").
CANDIDATE_SAMPLING = {"frequency_penalty": 0.4, "repetition_penalty": 1.15, "stop": ["\n6.", "\n\n\n"]}


@dataclass(frozen=True)
class LocalModel:
    """One registered local model. Budgets: ``context_char_budget`` characters of source text
    in the prompt, ``max_tokens`` tokens of answer; ``sampling`` as :data:`SAMPLING_KEYS`."""

    name: str
    base_url: str
    model_id: str
    context_char_budget: int
    max_tokens: int
    prompt_version: str
    sampling: dict = field(default_factory=dict)
    api_key: str = ""

    def as_dict(self) -> dict:
        """The entry as shown on the admin page (the API key is never shown)."""
        data = asdict(self)
        data["api_key"] = "set" if self.api_key else ""
        return data

    def provider(self) -> OpenAICompatibleProvider:
        """A provider for this entry (recorded as provider ``vllm``), timeout ``LLM_TIMEOUT_S``."""
        return OpenAICompatibleProvider(name="vllm", base_url=self.base_url, model_id=self.model_id,
                                        api_key=self.api_key or settings.LLM_API_KEY,
                                        timeout_s=settings.LLM_TIMEOUT_S, sampling=self.sampling)


@dataclass(frozen=True)
class Registry:
    """The registered models by name, and the name of the initial stable one."""

    models: dict[str, LocalModel]
    stable: str
    source: str  # the file it was read from, or "embedded default"

    def get(self, name: str) -> LocalModel:
        """The entry ``name``. Raises KeyError naming the known entries."""
        try:
            return self.models[name]
        except KeyError:
            raise KeyError(f"no local model {name!r} in the registry; known: {', '.join(self.models)}") from None


def registry_default() -> Registry:
    """Two entries from the ``LLM_*`` settings: ``smollm2-135m`` (stable, prompt answer-v1) and
    ``smollm2-135m-v2`` (``LLM_CANDIDATE_MODEL`` on the same server, prompt answer-v2 with
    :data:`CANDIDATE_SAMPLING`)."""
    common = {"base_url": settings.LLM_BASE_URL, "context_char_budget": settings.LLM_CONTEXT_CHAR_BUDGET,
              "max_tokens": settings.LLM_MAX_TOKENS}
    stable = LocalModel(name="smollm2-135m", model_id=settings.LLM_MODEL, prompt_version="answer-v1", **common)
    candidate = LocalModel(name="smollm2-135m-v2", model_id=settings.LLM_CANDIDATE_MODEL,
                           prompt_version="answer-v2", sampling=dict(CANDIDATE_SAMPLING), **common)
    return Registry(models={stable.name: stable, candidate.name: candidate}, stable=stable.name,
                    source="embedded default")


def registry_parse(data: dict, *, source: str) -> Registry:
    """A Registry from the file format above. Raises ImproperlyConfigured naming what is wrong."""
    try:
        entries = data["models"]
        models = {}
        for entry in entries:
            unknown = set(entry.get("sampling") or {}) - set(SAMPLING_KEYS)
            if unknown:
                raise ValueError(f"unknown sampling keys {sorted(unknown)} (allowed: {', '.join(SAMPLING_KEYS)})")
            model = LocalModel(name=str(entry["name"]), base_url=str(entry["base_url"]),
                               model_id=str(entry["model_id"]),
                               context_char_budget=int(entry.get("context_char_budget",
                                                                 settings.LLM_CONTEXT_CHAR_BUDGET)),
                               max_tokens=int(entry.get("max_tokens", settings.LLM_MAX_TOKENS)),
                               prompt_version=str(entry["prompt_version"]),
                               sampling=dict(entry.get("sampling") or {}), api_key=str(entry.get("api_key", "")))
            if model.name in models:
                raise ValueError(f"the name {model.name!r} appears twice")
            if not (200 <= model.context_char_budget and 1 <= model.max_tokens <= 8192):
                raise ValueError(f"{model.name}: budgets out of range")
            models[model.name] = model
        stable = str(data.get("stable") or next(iter(models)))
        if stable not in models:
            raise ValueError(f"stable model {stable!r} is not one of the entries")
    except (KeyError, TypeError, ValueError, StopIteration) as exc:
        raise ImproperlyConfigured(f"MODEL_REGISTRY_PATH {source}: {exc!r}") from exc
    return Registry(models=models, stable=stable, source=source)


def registry_load() -> Registry:
    """The registry from ``MODEL_REGISTRY_PATH`` (read on every call, so an edited file applies to
    the next question), else :func:`registry_default`. Raises ImproperlyConfigured."""
    path = settings.MODEL_REGISTRY_PATH
    if not path:
        return registry_default()
    try:
        text = Path(path).read_text(encoding="utf-8")
        data = yaml.safe_load(text) if path.endswith((".yaml", ".yml")) else json.loads(text)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise ImproperlyConfigured(f"MODEL_REGISTRY_PATH {path}: {exc}") from exc
    return registry_parse(data or {}, source=path)
