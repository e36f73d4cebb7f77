"""Template context shared by every page: the approval-queue count in the admin navigation."""
from __future__ import annotations


def approvals_pending(request) -> dict:
    """``approvals_pending``: pending fallback requests, for staff only (one COUNT per staff page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_staff:
        return {}
    from rag.fallback.models import FallbackRequest

    return {"approvals_pending": FallbackRequest.objects.filter(status=FallbackRequest.Status.PENDING).count()}
