"""Admin console pages for the audit trail, for auditors (``audit.view_auditevent``; ``is_staff`` is
not enough). Thin: parse, call a selector or service, render."""
from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rag.audit.forms import AuditFilterForm
from rag.audit.selectors import audit_chain_status, audit_event_list
from rag.audit.services import EXPORT_FORMATS, audit_export_start

PAGE_SIZE = 50
# A full verification reads every event (~20k events per CPU-second, see
# benchmarks/audit_verify_bench.py), so paging and filtering reuse a recent result for
# an unchanged event count and head; the banner shows its age, "verify now" rescans.
CHAIN_STATUS_MAX_AGE_S = 60
# The auditor role (rag.access.roles.AUDITOR holds the same name; audit never imports access).
AUDITOR_PERMISSION = "audit.view_auditevent"


def auditor_required(view):
    """Signed in (else the login page) and an auditor (else 403)."""
    return login_required(permission_required(AUDITOR_PERMISSION, raise_exception=True)(view))


@auditor_required
@require_GET
def audit_list(request):
    """Filtered events, newest first, 50 a page, under a banner from a full chain verification."""
    form = AuditFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(audit_event_list(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(event, json.dumps(event.details, ensure_ascii=False, sort_keys=True)) for event in page]
    chain, chain_age_s = audit_chain_status(max_age_s=CHAIN_STATUS_MAX_AGE_S,
                                            fresh=request.GET.get("verify") == "now")
    return render(request, "audit/list.html", {
        "form": form, "page": page, "rows": rows, "filtered": bool(filters),
        # Only a time range keeps the exported events contiguous in the chain.
        "has_gaps": bool(set(filters) - {"since", "until"}),
        "chain": chain, "chain_age_s": chain_age_s,
    })


@auditor_required
@require_GET
def audit_export(request, export_format: str):
    """The current filter's events as a JSON Lines or CSV download; recorded as AUDIT_EXPORTED first."""
    if export_format not in EXPORT_FORMATS:
        raise Http404("unknown export format")
    form = AuditFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return HttpResponseBadRequest("invalid filter: " + form.errors.as_text(), content_type="text/plain")
    export = audit_export_start(actor=request.user, export_format=export_format, filters=form.filters(),
                                destination="http")
    response = StreamingHttpResponse(export.chunks, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response
