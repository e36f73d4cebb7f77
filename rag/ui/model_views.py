"""Admin console: the local model registry, the canary rollout and the arm comparison.

Thin: parse input, call one selector or service, render. Staff only; every change is a
service of :mod:`rag.llm.rollout` that writes its audit row in the same transaction."""
from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ingest.models import Collection, Document
from rag.core.pages import refusal_shown
from rag.llm.local_models import registry_load
from rag.llm.models import Rollout
from rag.llm.rollout import model_stable_name, rollout_active, rollout_promote, rollout_rollback, rollout_start
from rag.qa.feedback import feedback_negative
from rag.ui.arms import FIGURES, arms_compare, shadow_count

WINDOWS_DAYS = (1, 7, 30, 90)
FIGURE_LABELS = {"abstention": "abstention rate", "escalation": "escalation rate", "thumbs_up": "thumbs-up share",
                 "citation": "citation rate", "retrieval_p50": "retrieval p50 (ms)",
                 "retrieval_p95": "retrieval p95 (ms)", "generation_p50": "generation p50 (ms)",
                 "generation_p95": "generation p95 (ms)", "prompt_tokens": "prompt tokens (mean)",
                 "completion_tokens": "completion tokens (mean)"}


RATES = ("abstention", "escalation", "thumbs_up", "citation")


def _shown(name: str, e) -> str:
    """``12.3 % [9.8-15.1] n=200`` for rates, ``812 [790-840] n=180`` otherwise; ``-`` without data."""
    if e.value is None:
        return "–"
    if name in RATES:
        return f"{e.value * 100:.1f} % [{e.low * 100:.1f}–{e.high * 100:.1f}] n={e.n}"
    return f"{e.value:.0f} [{e.low:.0f}–{e.high:.0f}] n={e.n}"


@staff_member_required
def models_page(request):
    """Registry entries, the stable model, the active rollout (start / promote / roll back) and the
    arm comparison over ``?days=`` (1, 7, 30, 90; default 7) for ``?rollout=`` (default: the active
    or latest one)."""
    registry = registry_load()
    days = int(request.GET.get("days") or 7) if (request.GET.get("days") or "7").isdigit() else 7
    days = days if days in WINDOWS_DAYS else 7
    until = timezone.now() + timedelta(seconds=1)
    since = until - timedelta(days=days)
    active = rollout_active()
    chosen = request.GET.get("rollout")
    rollout = (Rollout.objects.filter(pk=chosen).first() if chosen and chosen.isdigit()
               else active or Rollout.objects.first())
    figures = arms_compare(since=since, until=until, rollout_id=rollout.pk if rollout else None)
    rows = [{"name": name, "label": FIGURE_LABELS[name], "differs": figures[0].differs[name],
             "arms": [_shown(name, getattr(f, name)) for f in figures]} for name in FIGURES]
    return render(request, "ui/models.html", {
        "registry": registry, "models": [m.as_dict() for m in registry.models.values()],
        "stable": model_stable_name(), "active": active, "rollout": rollout, "figures": figures, "rows": rows,
        "days": days, "windows": WINDOWS_DAYS, "since": since, "until": until,
        "rollouts": Rollout.objects.all()[:20], "collections": Collection.objects.order_by("slug"),
        "shadow": shadow_count(since=since, until=until, rollout_id=rollout.pk if rollout else None),
    })


@staff_member_required
@require_POST
def rollout_start_view(request):
    """POST ``candidate``, ``share_percent``, ``shadow`` ("1"), ``pinned`` (collection ids, repeated)."""
    with refusal_shown(request, prefix="not started: "):
        try:
            share = float(request.POST.get("share_percent", ""))
            pinned = [int(p) for p in request.POST.getlist("pinned")]
        except ValueError:
            messages.error(request, "not started: the share must be a number")
            return redirect("ui:models")
        rollout = rollout_start(candidate=request.POST.get("candidate", ""), share_percent=share,
                                shadow=request.POST.get("shadow") == "1", pinned_collection_ids=pinned,
                                actor=request.user)
        messages.success(request, f"Canary started: {rollout.share_percent:g} % of users get {rollout.candidate} "
                                  "(recorded in the audit trail).")
    return redirect("ui:models")


@staff_member_required
@require_POST
def rollout_end_view(request, rollout_id: int, action: str):
    """``action`` (set by the URL): ``promote`` or ``rollback``; one click each, audited."""
    with refusal_shown(request):
        end = rollout_promote if action == "promote" else rollout_rollback
        rollout = end(rollout_id=rollout_id, actor=request.user)
        now = rollout.candidate if action == "promote" else rollout.stable
        messages.success(request, f"{'Promoted' if action == 'promote' else 'Rolled back'}: {now} answers "
                                  "everyone (recorded in the audit trail).")
    return redirect("ui:models")


@staff_member_required
def feedback_negative_page(request):
    """Thumbs-down answers, newest first, with the question, the answer and its citations."""
    items = feedback_negative()
    names = dict(Document.objects.filter(pk__in={i for fb in items for i in fb.gold_document_ids})
                 .values_list("pk", "source"))
    return render(request, "ui/feedback.html", {"items": items, "gold_names": names})
