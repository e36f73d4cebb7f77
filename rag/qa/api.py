from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from rag.access.authentication import token_of
from rag.access.permissions import QueryAccess
from rag.access.selectors import collection_ids_readable
from rag.qa.services import question_answer
from rag.search.api import CitationOutput, SupportOutput

__all__ = ["CitationOutput", "QueryAPI", "SupportOutput"]


class QueryAPI(APIView):
    """Answer a question from the documents the caller may read, with citations and the support
    decision (``support``: why it abstained, with the closest passages, or why it is weakly supported).

    Signed-in users, or API tokens with the ``query`` scope (limited to the token's collections).
    Errors (rendered by :func:`rag.core.api.exception_handler`): 400 ``invalid_question``,
    503 ``model_unavailable``, 503 ``busy`` or ``model_busy`` with ``Retry-After`` (rag.llm.capacity)."""

    permission_classes = [QueryAccess]
    throttle_scope = "query"

    class Input(serializers.Serializer):
        question = serializers.CharField(allow_blank=True, trim_whitespace=True)
        top_k = serializers.IntegerField(required=False, min_value=1, max_value=settings.RETRIEVAL_MAX_TOP_K)
        mode = serializers.ChoiceField(choices=["dense", "bm25", "hybrid"], required=False,
                                       help_text="Retrieval mode; default RETRIEVAL_MODE (hybrid)")

    class Output(serializers.Serializer):
        question_id = serializers.IntegerField()
        answer = serializers.CharField()
        abstained = serializers.BooleanField()
        citations = CitationOutput(many=True)
        model = serializers.DictField()
        timings_ms = serializers.DictField(child=serializers.IntegerField())
        support = SupportOutput()

    @extend_schema(request=Input, responses={200: Output, 503: OpenApiResponse(
        description="The answer model failed (model_unavailable), or busy / model_busy with Retry-After")})
    def post(self, request):
        """200 with the answer, citations and support decision; 400 invalid input; 503 when the model fails,
        or with ``Retry-After`` when this process or the model is busy."""
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        answer = question_answer(user=request.user, question=data.validated_data["question"],
                                 top_k=data.validated_data.get("top_k", settings.RETRIEVAL_TOP_K),
                                 mode=data.validated_data.get("mode"), token=token_of(request),
                                 collection_ids=collection_ids_readable(user=request.user, token=token_of(request)))
        return Response(self.Output(answer.as_dict()).data)
