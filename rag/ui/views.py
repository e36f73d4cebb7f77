"""Employee history and admin ingestion-health pages. Thin: parse input, call a selector or service, render."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ingest.services import document_requeue
from rag.core.pages import refusal_shown
from rag.fallback.selectors import fallback_requests_for_question
from rag.ui.selectors import ingestion_health, question_history, question_of

HISTORY_PAGE_SIZE = 20


@login_required
def history_page(request):
    """My questions, newest first, searchable (``?q=``), 20 a page."""
    search = request.GET.get("q", "").strip()
    page = Paginator(question_history(user=request.user, search=search),
                     HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ui/history.html", {"page": page, "q": search})


@login_required
def history_question_page(request, question_id: int):
    """One past question with its answer, citations and external requests (status, receipt link)."""
    question = question_of(user=request.user, question_id=question_id)
    if question is None:
        raise Http404("no such question")
    return render(request, "ui/question.html", {
        "question": question, "requests": fallback_requests_for_question(question_id=question.pk),
    })


@staff_member_required
def ingestion_health_page(request):
    return render(request, "ui/ingestion.html", {"health": ingestion_health()})


@staff_member_required
@require_POST
def document_rerun(request, document_id: int):
    """Re-run a failed document; a refusal (DocumentNotRequeueable) is shown as a message."""
    with refusal_shown(request):
        document = document_requeue(document_id=document_id, actor=request.user)
        messages.success(request, f"{document.source} was queued again.")
    return redirect("ui:ingestion")
