"""Web pages of the fallback flow. Thin: parse input, call one service or selector, render."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from rag.access.roles import APPROVER, user_has_role
from rag.core.errors import DomainError, NotFound
from rag.fallback import services
from rag.fallback.models import FallbackRequest
from rag.fallback.payload import earlier_questions
from rag.fallback.selectors import (
    fallback_budgets,
    fallback_receipt,
    fallback_request_list,
    fallback_requests_for_question,
)
from rag.qa.models import Question

QUEUE_PAGE_SIZE = 20


def approver_required(view):
    """Signed in (else the login page) and holding the approver permission (else 403); not ``is_staff``."""
    return login_required(permission_required(APPROVER.permission, raise_exception=True)(view))


@login_required
def question_escalate_page(request, question_id: int):
    """The local answer, why and how it could go to the external model, and the confirm button."""
    question = get_object_or_404(Question, pk=question_id)
    if question.asked_by_id != request.user.pk:  # only the asker may send their question out
        raise Http404("no such question")
    if request.method == "POST":
        try:
            req = services.fallback_request_create(question_id=question.pk, user=request.user,
                                                   proposed=request.POST.get("proposed") == "1",
                                                   include_history=request.POST.get("include_history") == "1")
        except DomainError as exc:
            messages.error(request, str(exc))
            return redirect("fallback-question", question_id=question.pk)
        return redirect("fallback-request", request_id=req.pk)
    proposed = services.fallback_proposal_record(question=question, user=request.user)
    return render(request, "fallback/escalate.html", {
        "question": question, "proposed": proposed, "requests": fallback_requests_for_question(question_id=question.pk),
        "enabled": settings.FALLBACK_ENABLED, "earlier": earlier_questions(question=question),
    })


@login_required
def request_page(request, request_id: int):
    """Status of one request; once answered, the answer and its privacy receipt (delivers it to the asker)."""
    req = services.fallback_request_open(request_id=request_id, user=request.user)
    if req is None:
        raise Http404("no such request")
    shown = req.status == FallbackRequest.Status.DELIVERED or (
        req.status == FallbackRequest.Status.ANSWERED and user_has_role(request.user, APPROVER))
    return render(request, "fallback/request.html", {
        "req": req, "receipt": fallback_receipt(request=req) if shown else None, "shown": shown,
        # Reload while something is happening: often once it is approved, rarely while it waits for an admin.
        "refresh_s": {FallbackRequest.Status.PENDING: 30, FallbackRequest.Status.APPROVED: 3,
                      FallbackRequest.Status.SENDING: 3, FallbackRequest.Status.SENT: 3}.get(req.status),
    })


@approver_required
def approval_queue(request):
    """Requests to decide (pending by default) with the exact payload, cost and remaining budget."""
    services.fallback_expire_due()
    wanted = request.GET.get("status", FallbackRequest.Status.PENDING)
    if wanted not in FallbackRequest.Status.values and wanted != "all":
        wanted = FallbackRequest.Status.PENDING
    page = Paginator(fallback_request_list(status=None if wanted == "all" else wanted),
                     QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    budgets = {b.provider: b for b in fallback_budgets()}
    for req in page:
        req.budget = budgets[req.provider]
    return render(request, "fallback/queue.html", {
        "page": page, "status": wanted, "statuses": ["all", *FallbackRequest.Status.values],
        "budgets": budgets.values(),
    })


# decision -> (service, the POST field it takes, past tense, what the queue says on success)
DECISIONS = {
    "approve": (services.fallback_approve, "payload_sha256", "approved", "approved; it is being sent"),
    "reject": (services.fallback_reject, "reason", "rejected", "rejected"),
}


@approver_required
@require_POST
def decide(request, request_id: int, decision: str):
    """Approve (POST ``payload_sha256``) or reject (POST ``reason``) one request, then back to the queue.

    ``decision`` is ``"approve"`` or ``"reject"`` (set by the URL). A refusal is
    shown as a message on the queue; an unknown request is a 404.
    """
    service, field, decided, done = DECISIONS[decision]
    try:
        service(request_id=request_id, admin=request.user, **{field: request.POST.get(field, "")})
    except NotFound:
        raise Http404("no such request") from None
    except DomainError as exc:
        messages.error(request, f"Request #{request_id} was not {decided}: {exc}")
    else:
        messages.success(request, f"Request #{request_id} {done}.")
    # Back to the queue page the form was on (its filter and page), never to another site.
    target = request.POST.get("next") or ""
    return redirect(target if target.startswith("/admin-console/approvals/") else reverse("fallback-approvals"))
