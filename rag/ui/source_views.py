"""Admin console › Folder sources: folders kept in sync with collections (:mod:`ingest.sources`).

Staff see every source; a manager sees, adds, removes and scans the sources of their collections.
Thin: parse input, call a selector or service, render; refusals are shown as messages."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ingest.sources import (
    FolderSourceRefused,
    folder_source_add,
    folder_source_remove,
    folder_source_scan_request,
    folder_sources_visible,
)
from rag.access.selectors import collection_manageable, collections_managed
from rag.core.pages import refusal_shown


@login_required
def sources_page(request):
    """Every source the user may see with its last scan (time, duration, counts, error), and the
    form to add one to a collection the user manages. 404 for users who are neither staff nor a manager."""
    managed = collections_managed(user=request.user)
    if not request.user.is_staff and not managed:
        raise Http404("you manage no collection")
    managed_ids = {c.pk for c in managed}
    sources = list(folder_sources_visible(user=request.user))
    for source in sources:
        source.manageable = source.collection_id in managed_ids
    return render(request, "ui/sources.html", {"sources": sources, "collections": managed,
                                               "roots": settings.FOLDER_SOURCE_ROOTS})


@login_required
@require_POST
def source_add(request):
    """POST ``collection`` (id), ``path``, ``interval_s`` (seconds, default 3600)."""
    with refusal_shown(request, prefix="Folder not added: "):
        collection = collection_manageable(collection_id=_int(request.POST.get("collection")), user=request.user)
        if collection is None:
            raise FolderSourceRefused("choose a collection you manage")
        source = folder_source_add(collection=collection, path=request.POST.get("path", "").strip(),
                                   interval_s=_int(request.POST.get("interval_s"), default=3600), user=request.user)
        messages.success(request, f"{source.path} is now a folder source of {collection.slug}; "
                                  "its first scan starts within a minute.")
    return redirect("ui:sources")


@login_required
@require_POST
def source_change(request, source_id: int, change: str):
    """``change`` (set by the URL): ``scan`` (queue a scan now) or ``remove``."""
    with refusal_shown(request, prefix=f"Folder source #{source_id}: "):
        if change == "scan":
            source = folder_source_scan_request(source_id=source_id, user=request.user)
            messages.success(request, f"A scan of {source.path} was queued.")
        else:
            folder_source_remove(source_id=source_id, user=request.user)
            messages.success(request, f"Folder source #{source_id} removed; its documents stay in the collection.")
    return redirect("ui:sources")


def _int(value, *, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        if default:
            return default
        raise FolderSourceRefused(f"{value!r} is not a number") from None
