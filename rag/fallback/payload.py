"""What the fallback would send: sources, redaction, the exact body, its hash and cost.

Pure of state changes: these functions read the question's chunks and run the
redaction pipeline, but write nothing; :mod:`rag.fallback.services` stores the
result together with its audit rows. The body's bytes come from the provider
itself (:meth:`rag.llm.wire.ExactBodyProvider.request_bytes`), so what is hashed
and approved here is exactly what :mod:`rag.llm` later puts on the wire.

Fail closed: anything that goes wrong while redacting (a spaCy pipeline that
cannot load, an analyzer error, residual personal data) gives a *blocked*
payload with a reason and no body.
"""
from __future__ import annotations

import hashlib
import logging
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from ingest.models import Chunk, Document, PrivacyLevel
from rag.access.selectors import collection_ids_readable
from rag.fallback.prompts import fallback_messages
from rag.fallback.selectors import tokens_cost
from rag.llm.wire import ExactBodyProvider
from rag.privacy import redaction
from rag.privacy.keys import vault_keys
from rag.qa.models import Question

logger = logging.getLogger(__name__)

# Conservative token estimate: ~4 bytes per token for English; 3 over-counts on purpose.
BYTES_PER_TOKEN = 3


@dataclass(frozen=True)
class PayloadSources:
    """The chunks that may go out, in retrieval order, and the documents on either side of the policy.

    ``contributing``: ``[{document_id, source, title, chunk_ids}]``;
    ``excluded``: ``[{document_id, source, title, privacy_level, chunk_ids, reason}]``.
    """

    chunks: list[Chunk]
    contributing: list[dict]
    excluded: list[dict]


@dataclass
class Payload:
    """A built payload. Either ``blocked_reason`` is set (nothing approvable: no body, hash
    or vault) or ``body`` holds the exact request bytes and ``sha256`` their hex digest.

    ``redacted_question`` and ``masked_counts`` (replaced occurrences by entity
    type) are the best redaction available, never the original; empty when the
    analyzer failed before redacting. Estimates: tokens (prompt from the body's
    size at :data:`BYTES_PER_TOKEN`, completion = the ``max_tokens`` cap) and USD.
    ``earlier_questions``: how many of the conversation's earlier questions the body holds.
    """

    sources: PayloadSources
    redacted_question: str = ""
    masked_counts: dict = field(default_factory=dict)
    blocked_reason: str = ""
    body: bytes = b""
    sha256: str = ""
    vault_encrypted: bytes = b""
    estimated_prompt_tokens: int = 0
    estimated_completion_tokens: int = 0
    estimated_cost: Decimal = Decimal(0)
    earlier_questions: int = 0  # how many earlier turns' questions went into the body

    def request_fields(self) -> dict:
        """The :class:`rag.fallback.models.FallbackRequest` fields this payload fills, by field name."""
        return {
            "blocked_reason": self.blocked_reason, "redacted_question": self.redacted_question,
            "masked_counts": self.masked_counts, "payload_bytes": self.body, "payload_sha256": self.sha256,
            "vault_encrypted": self.vault_encrypted, "included_chunk_ids": [c.id for c in self.sources.chunks],
            "contributing_documents": self.sources.contributing, "excluded_documents": self.sources.excluded,
            "estimated_prompt_tokens": self.estimated_prompt_tokens,
            "estimated_completion_tokens": self.estimated_completion_tokens, "estimated_cost": self.estimated_cost,
        }


UNREADABLE = "no longer readable by the asker: access was revoked since the question was asked"


def _asker_readable(question: Question) -> list[int] | None:
    """Collection ids the question's asker may read *now* (None: all): the user, else the API token
    it was asked with; nobody (``[]``) when neither is left."""
    if question.asked_by_id is not None:
        return collection_ids_readable(user=question.asked_by)
    if question.asked_by_token_id is not None:
        token = question.asked_by_token
        return [] if token.revoked_at is not None else collection_ids_readable(user=None, token=token)
    return []


def payload_sources_select(*, question: Question) -> PayloadSources:
    """The question's retrieved chunks, in retrieval order, split by privacy policy and current access.

    Access is checked again now, not when the question was asked: chunks of collections the
    asker may no longer read are excluded (reason :data:`UNREADABLE`, their source and title
    withheld). ``local_only`` documents are excluded; chunks beyond FALLBACK_CONTEXT_CHAR_BUDGET
    characters are left out (best first, the first chunk always fits); chunks of
    deleted or unready documents are skipped.
    """
    by_id = {c.id: c for c in Chunk.objects.filter(id__in=question.retrieved_chunk_ids,
                                                   document__status=Document.Status.READY)
             .select_related("document")}
    readable = _asker_readable(question)
    chunks, used = [], 0
    contributing: dict[int, dict] = {}
    excluded: dict[int, dict] = {}
    for chunk_id in question.retrieved_chunk_ids:
        chunk = by_id.get(chunk_id)
        if chunk is None:
            continue
        doc = chunk.document
        if readable is not None and doc.collection_id not in readable:
            excluded.setdefault(doc.id, {
                "document_id": doc.id, "source": "(a document the asker may no longer read)", "title": "",
                "privacy_level": "unreadable", "chunk_ids": [], "reason": UNREADABLE})["chunk_ids"].append(chunk.id)
            continue
        if doc.privacy_level != PrivacyLevel.EXTERNAL_REDACTED:
            entry = excluded.setdefault(doc.id, {
                "document_id": doc.id, "source": doc.source, "title": doc.title,
                "privacy_level": doc.privacy_level, "chunk_ids": [],
                "reason": "privacy level local_only: never leaves the perimeter"})
            entry["chunk_ids"].append(chunk.id)
            continue
        if chunks and used + len(chunk.text) > settings.FALLBACK_CONTEXT_CHAR_BUDGET:
            continue
        used += len(chunk.text)
        chunks.append(chunk)
        contributing.setdefault(doc.id, {"document_id": doc.id, "source": doc.source, "title": doc.title,
                                         "chunk_ids": []})["chunk_ids"].append(chunk.id)
    return PayloadSources(chunks, list(contributing.values()), list(excluded.values()))


def payload_redact(*, texts: list[str]) -> redaction.RedactionResult:
    """:func:`rag.privacy.redaction.payload_redact_checked` over FALLBACK_SPACY_MODEL's pipeline.

    ``""`` selects rag.privacy's default model; the analyzer comes from
    :func:`rag.privacy.redaction.redaction_analyzer` (the one factory, same NLP
    settings as everywhere), the residual scan keeps rag.privacy's own pipeline.
    Returns the verified redaction of ``texts`` (same length and order). Raises
    RedactionBlocked on any failure, including a pipeline that cannot load: it
    blocks, it never skips redaction.
    """
    try:
        analyzer = redaction.redaction_analyzer(spacy_model=settings.FALLBACK_SPACY_MODEL or None)
    except Exception as exc:  # fail closed
        raise redaction.RedactionBlocked(f"analyzer failed: {type(exc).__name__}: {exc}"[:300]) from exc
    return redaction.payload_redact_checked(texts=texts, analyzer=analyzer)


def earlier_questions(*, question: Question) -> list[str]:
    """The questions asked before ``question`` in its conversation, oldest first, as the asker typed
    them (``[]`` for a question outside a conversation). Only the asker's own turns; their answers
    are never included (they may draw on ``local_only`` documents)."""
    if question.conversation_id is None:
        return []
    rows = Question.objects.filter(conversation_id=question.conversation_id, asked_by_id=question.asked_by_id,
                                   pk__lt=question.pk).order_by("created_at", "id")
    return [q.text for q in rows]


def payload_build(*, question: Question, provider: ExactBodyProvider, include_history: bool = False) -> Payload:
    """Select the sources of ``question``, redact them with the question, and serialize ``provider``'s body.

    With ``include_history`` the conversation's earlier questions (:func:`earlier_questions`) go
    out too, redacted in the same pass and vault as the rest (one person is the same
    ``<PERSON_n>`` in every turn); off by default, when only this turn leaves.

    The body is ``provider.request_bytes`` of the fallback prompt
    (:func:`rag.fallback.prompts.fallback_messages`) with FALLBACK_MAX_TOKENS and
    temperature 0; the vault (placeholder -> original) is stored encrypted with
    the vault key. Cost is FALLBACK_PRICE_PER_1K_TOKENS[provider.name] USD per
    1,000 estimated tokens. Never raises for redaction problems: they give a
    blocked :class:`Payload`.
    """
    sources = payload_sources_select(question=question)
    # A follow-up goes out as its standalone rewrite (rag.qa.conversation), redacted like any
    # question; earlier turns are sent only when the asker chose to include them.
    asked = question.standalone_question or question.text
    earlier = earlier_questions(question=question) if include_history else []
    try:
        result = payload_redact(texts=[asked, *earlier, *(c.text for c in sources.chunks)])
    except redaction.RedactionBlocked as exc:
        blocked = Payload(sources=sources, blocked_reason=exc.reason)
        # The best redaction available (never the original): shown to admins to explain the block.
        if exc.result is not None:
            blocked.redacted_question = exc.result.texts[0]
            blocked.masked_counts = exc.result.counts
        return blocked
    n_earlier = 1 + len(earlier)
    messages = fallback_messages(question=result.texts[0], sources=result.texts[n_earlier:],
                                 earlier_questions=result.texts[1:n_earlier])
    body = provider.request_bytes(messages=messages, max_tokens=settings.FALLBACK_MAX_TOKENS, temperature=0.0)
    prompt_tokens = math.ceil(len(body) / BYTES_PER_TOKEN)
    completion_tokens = settings.FALLBACK_MAX_TOKENS
    return Payload(
        sources=sources, redacted_question=result.texts[0], masked_counts=result.counts, body=body,
        sha256=hashlib.sha256(body).hexdigest(),
        vault_encrypted=redaction.vault_encrypt(result.vault, vault_keys()),
        estimated_prompt_tokens=prompt_tokens, estimated_completion_tokens=completion_tokens,
        earlier_questions=len(earlier), estimated_cost=tokens_cost(tokens=prompt_tokens + completion_tokens,
                                   price_per_1k=settings.FALLBACK_PRICE_PER_1K_TOKENS.get(provider.name, 0)),
    )


def text_redacted_for_audit(text: str) -> str:
    """Free text an admin typed, pseudonymized for the audit trail (which holds redacted text only).

    Fail closed: when redaction fails, returns ``"[withheld: redaction failed]"`` and logs the error.
    """
    try:
        return redaction.payload_pseudonymize(texts=[text]).texts[0]
    except Exception:  # keep nothing rather than something unredacted
        logger.exception("redacting a rejection reason failed")
        return "[withheld: redaction failed]"
