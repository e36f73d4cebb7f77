"""DRF permissions shared by session users and API tokens.

Scopes: ``query`` asks questions, ``ingest`` uploads, ``admin`` implies both and
opens admin endpoints. Every scope may read document metadata of the token's
collections. A token lacking the scope a view needs gets 403 ``insufficient_scope``
(audited); a signed-in user passes the scope check, and what they may *see* is
decided by :func:`rag.access.selectors.collection_ids_readable`.
"""
from __future__ import annotations

from rest_framework.permissions import BasePermission

from rag.access.authentication import request_info, token_of
from rag.access.models import APIToken
from rag.access.roles import APPROVER, user_has_role
from rag.access.services import api_token_scope_refuse

Scope = APIToken.Scope


def token_has_scope(token: APIToken, scope: str) -> bool:
    """Whether ``token`` carries ``scope`` ("query", "ingest"), counting ``admin`` as every scope."""
    return scope in token.scopes or Scope.ADMIN in token.scopes


class _ScopePermission(BasePermission):
    scope: str | None = None  # None: any scope
    staff_only = False  # for session users

    def has_permission(self, request, view) -> bool:
        token = token_of(request)
        if token is not None:
            if self.scope is None or token_has_scope(token, self.scope):
                return True
            # TokenRefused (403 insufficient_scope), rendered by rag.core.api.exception_handler
            raise api_token_scope_refuse(token=token, needed=self.scope, request=request_info(request))
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        return user.is_staff or not self.staff_only


class ReadAccess(_ScopePermission):
    """Signed-in users, and tokens with any scope."""


class QueryAccess(_ScopePermission):
    """Signed-in users, and tokens with the ``query`` scope."""

    scope = Scope.QUERY


class IngestAccess(_ScopePermission):
    """Signed-in users (what they may write to is checked per collection), and ``ingest`` tokens."""

    scope = Scope.INGEST


class AdminAccess(_ScopePermission):
    """Staff users, and ``admin`` tokens (what either may see is still decided per collection)."""

    scope = Scope.ADMIN
    staff_only = True


class ApproverAccess(BasePermission):
    """Signed-in users holding the approver permission (:data:`rag.access.roles.APPROVER`). Never a
    token, never ``is_staff`` alone: a person decides what leaves the perimeter."""

    def has_permission(self, request, view) -> bool:
        return token_of(request) is None and user_has_role(request.user, APPROVER)


class TokenQueryAccess(QueryAccess):
    """``query`` tokens only (the OpenAI-compatible endpoints)."""

    def has_permission(self, request, view) -> bool:
        return token_of(request) is not None and super().has_permission(request, view)
