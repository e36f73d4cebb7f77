"""Employee history, the managers' access page and the admin ingestion-health page.

Thin: parse input, call a selector or service, render."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ingest.services import document_requeue
from rag.access.models import CollectionRole
from rag.access.selectors import collection_manageable, collections_managed, role_holder_find
from rag.access.services import collection_open_set, collection_role_grant, collection_role_revoke
from rag.core.pages import refusal_shown
from rag.fallback.selectors import fallback_requests_for_question
from rag.ui.selectors import (
    ingestion_health,
    question_closest,
    question_history,
    question_of,
    question_sources_shown,
)

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
    """One past question with its answer, citations and external requests (status, receipt link);
    the answer and sources are withheld once the user may no longer read a cited document. An
    abstention shows its reason and the closest passages the user may still read; a weakly
    supported answer its mark and reason; escalation is offered where the fallback is enabled."""
    question = question_of(user=request.user, question_id=question_id)
    if question is None:
        raise Http404("no such question")
    answer, citations = question_sources_shown(question=question)
    return render(request, "ui/question.html", {
        "question": question, "answer": answer, "citations": citations,
        "requests": fallback_requests_for_question(question_id=question.pk),
        "closest": question_closest(question=question, user=request.user),
        "fallback_enabled": settings.FALLBACK_ENABLED,
    })


@staff_member_required
def ingestion_health_page(request):
    """Ingestion health for staff: counts, queue depth, last hour's throughput, failures with their reasons."""
    return render(request, "ui/ingestion.html", {"health": ingestion_health()})


@staff_member_required
@require_POST
def document_rerun(request, document_id: int):
    """Re-run a failed document; a refusal (DocumentNotRequeueable) is shown as a message."""
    with refusal_shown(request):
        document = document_requeue(document_id=document_id, user=request.user)
        messages.success(request, f"{document.source} was queued again.")
    return redirect("ui:ingestion")


@login_required
def access_page(request):
    """The collections I manage: who holds which role, and whether everyone signed in reads them."""
    collections = collections_managed(user=request.user)
    if not collections:
        raise Http404("you manage no collection")
    return render(request, "ui/access.html", {"collections": collections, "roles": CollectionRole.Role.choices})


@login_required
@require_POST
def access_change(request, collection_id: int, change: str):
    """``change`` (set by the URL): ``grant`` (POST ``group`` or ``username``, ``role``), ``revoke``
    (POST ``role_id``) or ``open`` (POST ``all_signed_in`` "1"/"0"). Refusals are shown as messages;
    a collection you do not manage is a 404."""
    collection = collection_manageable(collection_id=collection_id, user=request.user)
    if collection is None:
        raise Http404("no such collection")
    with refusal_shown(request, prefix=f"{collection.slug}: not changed: "):
        if change == "grant":
            try:
                holder = role_holder_find(group_name=request.POST.get("group", ""),
                                          username=request.POST.get("username", ""))
                role = CollectionRole.Role(request.POST.get("role", ""))
            except ValueError as exc:
                messages.error(request, f"{collection.slug}: not changed: {exc}")
                return redirect("ui:access")
            collection_role_grant(collection=collection, role=role, actor=request.user, **holder)
        elif change == "revoke":
            row = get_object_or_404(CollectionRole, pk=request.POST.get("role_id") or 0, collection=collection)
            collection_role_revoke(collection=collection, group=row.group, user=row.user, actor=request.user)
        else:
            collection_open_set(collection=collection, all_signed_in=request.POST.get("all_signed_in") == "1",
                                actor=request.user)
        messages.success(request, f"{collection.slug}: access changed (recorded in the audit trail).")
    return redirect("ui:access")
