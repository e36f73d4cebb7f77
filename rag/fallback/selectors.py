"""Reads for the fallback flow: the escalation policy, the approval queue, budgets, the privacy receipt."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from rag.access.roles import APPROVER, user_has_role
from rag.fallback.models import FallbackRequest
from rag.llm.models import LLMCall
from rag.qa.models import Question

# Requests whose tokens are promised but not yet recorded as an LLMCall.
RESERVING = (FallbackRequest.Status.APPROVED, FallbackRequest.Status.SENDING)


def month_start(now: datetime | None = None) -> datetime:
    """Midnight of the first day of the current month, in settings.TIME_ZONE."""
    now = timezone.localtime(now or timezone.now())
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class Budget:
    """A provider's monthly token budget. ``used``: tokens of this month's fallback
    calls as the provider reported them; ``reserved``: estimates of approved
    requests not sent yet. All in tokens; ``price_per_1k`` in USD."""

    provider: str
    limit: int
    used: int
    reserved: int
    price_per_1k: Decimal

    @property
    def remaining(self) -> int:
        """Tokens still available this month (never negative)."""
        return max(0, self.limit - self.used - self.reserved)

    @property
    def remaining_cost(self) -> Decimal:
        """What the remaining tokens cost at ``price_per_1k``, in USD."""
        return tokens_cost(tokens=self.remaining, price_per_1k=self.price_per_1k)

    def allows(self, tokens: int) -> bool:
        """Whether ``tokens`` more (an estimate to reserve) fit under this month's limit."""
        return self.used + self.reserved + tokens <= self.limit

    def as_dict(self) -> dict:
        """JSON form for the API and pages: token counts, and ``remaining_cost_usd`` as a decimal string."""
        return {"provider": self.provider, "limit_tokens": self.limit, "used_tokens": self.used,
                "reserved_tokens": self.reserved, "remaining_tokens": self.remaining,
                "remaining_cost_usd": str(self.remaining_cost)}


def tokens_cost(*, tokens: int, price_per_1k: Decimal | float) -> Decimal:
    """USD for ``tokens`` at ``price_per_1k`` USD per 1,000 tokens, to the micro-dollar."""
    return (Decimal(tokens) * Decimal(str(price_per_1k)) / 1000).quantize(Decimal("0.000001"))


def fallback_budget(*, provider: str, now: datetime | None = None) -> Budget:
    """The budget of ``provider`` ("openai" | "anthropic") for the current calendar month."""
    since = month_start(now)
    used = LLMCall.objects.filter(purpose="fallback", provider=provider, created_at__gte=since).aggregate(
        n=Sum(Coalesce(F("prompt_tokens"), Value(0)) + Coalesce(F("completion_tokens"), Value(0))))["n"] or 0
    reserved = FallbackRequest.objects.filter(provider=provider, status__in=RESERVING).aggregate(
        n=Sum(F("estimated_prompt_tokens") + F("estimated_completion_tokens")))["n"] or 0
    return Budget(provider=provider, limit=settings.FALLBACK_MONTHLY_TOKEN_BUDGET.get(provider, 0), used=used,
                  reserved=reserved, price_per_1k=Decimal(str(settings.FALLBACK_PRICE_PER_1K_TOKENS.get(provider, 0))))


def fallback_propose_needed(*, question: Question) -> bool:
    """Whether to *propose* escalation for ``question`` (a proposal is only shown, never sent).

    True when the local attempt is weak: it abstained or failed, it is marked weakly supported
    (``Question.weakly_supported``, rag.search.abstention), or no cited chunk reaches
    ``FALLBACK_PROPOSE_BELOW_SCORE`` cosine similarity.
    """
    if not settings.FALLBACK_ENABLED:
        return False
    if question.status in (Question.Status.ABSTAINED, Question.Status.ERROR) or question.weakly_supported:
        return True
    scores = [c.get("score", 0.0) for c in question.citations]
    return not scores or max(scores) < settings.FALLBACK_PROPOSE_BELOW_SCORE


def fallback_budgets() -> list[Budget]:
    """This month's budget of every external provider, in ``FallbackRequest.Provider`` order."""
    return [fallback_budget(provider=p) for p in FallbackRequest.Provider.values]


def fallback_request_list(*, status: str | None = None) -> QuerySet[FallbackRequest]:
    """Requests newest first, optionally of one status, with who asked and who decided."""
    qs = FallbackRequest.objects.select_related("question", "requested_by", "approved_by", "rejected_by")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at")


def fallback_request_visible(*, request_id: int, user) -> FallbackRequest | None:
    """The request if ``user`` may see it (its asker, or an approver), else None."""
    req = fallback_request_list().filter(pk=request_id).first()
    if req is None or not (req.requested_by_id == user.pk or user_has_role(user, APPROVER)):
        return None
    return req


def fallback_requests_for_question(*, question_id: int) -> QuerySet[FallbackRequest]:
    """Every request of one question, newest first (blocked and finished ones included)."""
    return fallback_request_list().filter(question_id=question_id)


def fallback_receipt(*, request: FallbackRequest) -> dict | None:
    """The privacy receipt of a request that was sent, else None.

    Returns ``{"request_id", "status", "sent": {"provider", "model_id", "prompt_version", "payload",
    "payload_sha256", "bytes", "sent_at"}, "masked": {type: count}, "masked_total",
    "contributing_documents": [...], "excluded_documents": [...], "approved_by", "approved_at",
    "answered_by": {"provider", "model_id", "prompt_tokens", "completion_tokens", "latency_ms"} | None,
    "send_attempts"}``. ``payload`` is the exact body that left (redacted text only).
    """
    if request.sent_at is None:
        return None
    call = request.llm_call
    return {
        "request_id": request.pk,
        "status": request.status,
        "sent": {
            "provider": request.provider, "model_id": request.model_id, "prompt_version": request.prompt_version,
            "payload": request.payload_text, "payload_sha256": request.approved_payload_sha256,
            "bytes": len(bytes(request.payload_bytes)), "sent_at": request.sent_at,
        },
        "masked": dict(sorted(request.masked_counts.items())),
        "masked_total": sum(request.masked_counts.values()),
        "contributing_documents": request.contributing_documents,
        "excluded_documents": request.excluded_documents,
        "approved_by": request.approved_by.get_username() if request.approved_by else None,
        "approved_at": request.approved_at,
        "answered_by": None if call is None else {
            "provider": call.provider, "model_id": call.model_id, "prompt_tokens": call.prompt_tokens,
            "completion_tokens": call.completion_tokens, "latency_ms": call.latency_ms,
        },
        "send_attempts": request.send_attempts,
    }
