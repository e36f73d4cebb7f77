"""Template context shared by every page: what the admin navigation shows to whom."""
from __future__ import annotations


def approvals_pending(request) -> dict:
    """``approvals_pending``: pending fallback requests, for approvers only (one COUNT per page);
    ``manages_collections``: whether the user is manager of at least one collection (the Access page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from rag.access.models import CollectionRole
    from rag.access.roles import APPROVER, user_has_role
    from rag.access.selectors import collection_ids_with_role
    from rag.fallback.models import FallbackRequest

    managed = collection_ids_with_role(user=user, role=CollectionRole.Role.MANAGER)
    context = {"manages_collections": managed is None or bool(managed)}
    if user_has_role(user, APPROVER):
        context["approvals_pending"] = FallbackRequest.objects.filter(status=FallbackRequest.Status.PENDING).count()
    return context
