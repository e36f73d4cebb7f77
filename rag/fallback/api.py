"""REST API of the fallback flow. Thin: parse, call one service or selector, serialize.

Refusals propagate as :class:`rag.core.errors.DomainError` and are rendered by
:func:`rag.core.api.exception_handler` (``{"error": {"code", "message", "details"}}``).
"""
from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from rag.access.permissions import ApproverAccess
from rag.access.roles import APPROVER, user_has_role
from rag.core.errors import NotFound
from rag.fallback import services
from rag.fallback.errors import FallbackInvalid
from rag.fallback.models import OPEN_STATUSES, FallbackRequest
from rag.fallback.selectors import fallback_budget, fallback_receipt, fallback_request_list


class RequestOutput(serializers.Serializer):
    """What the asker (and staff) see of a request; the receipt once it was sent."""

    id = serializers.IntegerField()
    question_id = serializers.IntegerField()
    status = serializers.CharField()
    proposed = serializers.BooleanField()
    provider = serializers.CharField()
    model_id = serializers.CharField()
    payload_sha256 = serializers.CharField()
    masked_counts = serializers.DictField(child=serializers.IntegerField())
    excluded_documents = serializers.ListField(child=serializers.DictField())
    blocked_reason = serializers.CharField()
    rejection_reason = serializers.CharField()
    failure_reason = serializers.CharField()
    estimated_tokens = serializers.IntegerField()
    estimated_cost_usd = serializers.DecimalField(source="estimated_cost", max_digits=12, decimal_places=6)
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    answer = serializers.SerializerMethodField()
    receipt = serializers.SerializerMethodField()

    def _shown(self, req: FallbackRequest) -> bool:
        return req.status == FallbackRequest.Status.DELIVERED or (
            req.status == FallbackRequest.Status.ANSWERED and self.context.get("staff", False))

    def get_answer(self, req: FallbackRequest) -> str | None:
        return req.answer if self._shown(req) else None

    def get_receipt(self, req: FallbackRequest) -> dict | None:
        return fallback_receipt(request=req) if self._shown(req) else None


class QueueItemOutput(RequestOutput):
    """A request as an approver reviews it: the exact payload and what the decision costs."""

    requested_by = serializers.CharField(source="requested_by.username", default=None)
    redacted_question = serializers.CharField()
    contributing_documents = serializers.ListField(child=serializers.DictField())
    payload = serializers.CharField(source="payload_text")
    approved_by = serializers.CharField(source="approved_by.username", default=None)
    approved_at = serializers.DateTimeField()
    budget = serializers.SerializerMethodField()

    def get_budget(self, req: FallbackRequest) -> dict:
        return fallback_budget(provider=req.provider).as_dict()


class EscalateAPI(APIView):
    """Ask the external model: redact the question and its sources and queue them for approval.

    201 with the new request (``pending``, or ``blocked`` with a reason), or 200
    with the question's request that is already open. Nothing is sent before an
    admin approves.
    """

    class Input(serializers.Serializer):
        proposed = serializers.BooleanField(required=False, default=False)
        include_history = serializers.BooleanField(
            required=False, default=False,
            help_text="Also send this conversation's earlier questions (redacted like the rest); default off")

    @extend_schema(request=Input, responses={200: RequestOutput, 201: RequestOutput})
    def post(self, request, question_id: int):
        """Body :attr:`Input` (``proposed``: the asker accepted an automatic proposal;
        ``include_history``: the conversation's earlier questions go out too, redacted).

        Raises FallbackDisabled (403), FallbackNotAllowed (403: only the asker escalates),
        NotFound (404: no such question), rendered by the one error handler.
        """
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        was_open = FallbackRequest.objects.filter(question_id=question_id, status__in=OPEN_STATUSES).exists()
        req = services.fallback_request_create(question_id=question_id, user=request.user,
                                               proposed=data.validated_data["proposed"],
                                               include_history=data.validated_data["include_history"])
        return Response(RequestOutput(req, context={"staff": user_has_role(request.user, APPROVER)}).data,
                        status=status.HTTP_200_OK if was_open else status.HTTP_201_CREATED)


class FallbackDetailAPI(APIView):
    """A request's status; once delivered, the answer and its privacy receipt.

    Reading an answered request as its asker delivers it (recorded in the audit trail).
    """

    @extend_schema(responses={200: RequestOutput})
    def get(self, request, request_id: int):
        """200 with the request (approvers see the queue form: payload and budget); 404 when it
        does not exist or ``request.user`` may not see it. Due expiries are applied first.
        """
        req = services.fallback_request_open(request_id=request_id, user=request.user)
        if req is None:
            raise NotFound("request not found")
        approver = user_has_role(request.user, APPROVER)
        output = QueueItemOutput if approver else RequestOutput
        return Response(output(req, context={"staff": approver}).data)


class FallbackPagination(PageNumberPagination):
    """20 requests a page (``?page=N``)."""

    page_size = 20


class FallbackListAPI(APIView):
    """Requests for approvers, newest first, 20 a page; ``?status=pending`` filters."""

    permission_classes = [ApproverAccess]

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=FallbackRequest.Status.values)],
                   responses={200: QueueItemOutput(many=True)})
    def get(self, request):
        """Applies due expiries, then lists. Raises FallbackInvalid (400, ``invalid_status``) for an unknown ``?status``."""
        services.fallback_expire_due()
        wanted = request.query_params.get("status") or None
        if wanted and wanted not in FallbackRequest.Status.values:
            raise FallbackInvalid(f"status must be one of {', '.join(FallbackRequest.Status.values)}",
                                  code="invalid_status")
        paginator = FallbackPagination()
        page = paginator.paginate_queryset(fallback_request_list(status=wanted), request, view=self)
        return paginator.get_paginated_response(QueueItemOutput(page, many=True, context={"staff": True}).data)


class ApproveInput(serializers.Serializer):
    """The SHA-256 (64 hex digits) of the payload the approver reviewed."""

    payload_sha256 = serializers.RegexField(r"^[0-9a-fA-F]{64}$")


class RejectInput(serializers.Serializer):
    """Why the request is rejected (required, up to 2000 characters; stored pseudonymized in the audit trail)."""

    reason = serializers.CharField(max_length=2000)


class DecisionAPI(APIView):
    """An approver's decision on one request: validate :attr:`Input`, call :attr:`decide`, return the request.

    ``decide`` is the service, called as ``decide(request_id=, admin=, **Input fields)``
    (the Input fields are named like its keyword arguments).
    """

    permission_classes = [ApproverAccess]
    Input: type[serializers.Serializer]
    decide: staticmethod

    def post(self, request, request_id: int):
        """200 with the decided request, in the approver's form. The service's refusals
        (403/404/409/400 domain errors: not allowed, not found, not pending, expired, payload
        changed, budget exceeded, invalid reason) propagate to the one error handler.
        """
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        req = self.decide(request_id=request_id, admin=request.user, **data.validated_data)
        return Response(QueueItemOutput(req, context={"staff": True}).data)


@extend_schema_view(post=extend_schema(request=ApproveInput, responses={200: QueueItemOutput}))
class FallbackApproveAPI(DecisionAPI):
    """Approve the exact payload whose SHA-256 you reviewed; the send is queued at once."""

    Input, decide = ApproveInput, staticmethod(services.fallback_approve)


@extend_schema_view(post=extend_schema(request=RejectInput, responses={200: QueueItemOutput}))
class FallbackRejectAPI(DecisionAPI):
    """Reject a pending request with a reason; it will never be sent."""

    Input, decide = RejectInput, staticmethod(services.fallback_reject)
