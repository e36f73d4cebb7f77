"""``POST /api/v1/search``: the ranked passages and the support decision, without generating.

For apps that build their own prompts or show results. Same permissions (``QueryAccess``,
filtered by :func:`rag.access.selectors.collection_ids_readable`), rate limit (scope
``query``) and audit (:func:`rag.search.services.search_run`) as ``POST /api/v1/query``.
The citation and support serializers are shared with the query and chat-completions APIs.
"""
from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from rag.access.authentication import token_of
from rag.access.permissions import QueryAccess
from rag.access.selectors import collection_ids_readable
from rag.search.selectors import MODES
from rag.search.services import search_run


class CitationOutput(serializers.Serializer):
    """One cited chunk; ``/sources/<chunk_id>/`` shows it in its document."""

    document_id = serializers.IntegerField()
    source = serializers.CharField()
    heading = serializers.CharField(allow_blank=True)
    page = serializers.IntegerField(allow_null=True)
    chunk_id = serializers.IntegerField()
    score = serializers.FloatField(help_text="cosine similarity to the question")
    snippet = serializers.CharField()


class SupportOutput(serializers.Serializer):
    """Whether the passages found support an answer (rag.search.abstention), and why not."""

    supported = serializers.BooleanField(help_text="false: Perimeter abstains (\"not answered in your documents\")")
    weak = serializers.BooleanField(help_text="answered, but weakly supported: shown with a mark and the "
                                              "escalation offer")
    reason = serializers.CharField(allow_blank=True, help_text="why it abstained or is weak; empty otherwise, e.g. "
                                   "\"the documents cover Django up to 5.2.19; the question asks about Django 6.1\"")
    probability = serializers.FloatField(allow_null=True, help_text="P(answerable) from the support model; "
                                                                    "null under the rule")
    method = serializers.ChoiceField(choices=["model", "rule"])
    closest = CitationOutput(many=True, help_text="the two closest passages found (readable by the caller)")


class SearchHitOutput(CitationOutput):
    """One ranked chunk: its citation fields, the 1-based ``rank``, the BM25 and fused scores when
    they apply, and whether an answer would cite it.
    """

    rank = serializers.IntegerField(help_text="1-based, in the mode's order")
    title = serializers.CharField(allow_blank=True)
    bm25 = serializers.FloatField(allow_null=True, help_text="BM25 score; null when BM25 did not find it")
    fused = serializers.FloatField(allow_null=True, help_text="reciprocal-rank-fusion score (hybrid only)")
    relevant = serializers.BooleanField(help_text="an answer would cite it (never when support says abstain)")


class SearchAPI(APIView):
    """Search the documents the caller may read: ranked chunks with citations and the support
    decision; no model is called.

    Signed-in users, or API tokens with the ``query`` scope (limited to the token's collections).
    Errors (rendered by :func:`rag.core.api.exception_handler`): 400 ``invalid`` (a field) or
    ``invalid_query``; 503 ``busy`` with ``Retry-After`` (admission: :func:`rag.search.services.search_run`)."""

    permission_classes = [QueryAccess]
    throttle_scope = "query"

    class Input(serializers.Serializer):
        query = serializers.CharField(allow_blank=True, trim_whitespace=True,
                                      help_text=f"at most {settings.QUERY_MAX_CHARS} characters")
        top_k = serializers.IntegerField(required=False, min_value=1, max_value=settings.RETRIEVAL_MAX_TOP_K)
        mode = serializers.ChoiceField(choices=list(MODES), required=False,
                                       help_text="Retrieval mode; default RETRIEVAL_MODE (hybrid)")

    class Output(serializers.Serializer):
        search_id = serializers.CharField(help_text="the audit trail's target id of this search")
        mode = serializers.ChoiceField(choices=list(MODES))
        top_k = serializers.IntegerField()
        hits = SearchHitOutput(many=True)
        support = SupportOutput()
        timings_ms = serializers.DictField(child=serializers.IntegerField())

    @extend_schema(request=Input, responses={200: Output, 503: OpenApiResponse(
        description="busy: this server works on as many questions as it takes; retry after Retry-After")}, examples=[
        OpenApiExample("search", request_only=True,
                       value={"query": "How long is the CSRF cookie valid?", "top_k": 5, "mode": "hybrid"})])
    def post(self, request):
        """Validates :attr:`Input`, searches the caller's readable collections, answers 200 :attr:`Output`
        (timings in ms). Raises ValidationError (400 ``invalid``), the search's ``invalid_query`` (400), or
        ServerBusy (503 ``busy`` with ``Retry-After``: QUESTION_MAX_IN_FLIGHT_PER_PROCESS in flight here).
        """
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        token = token_of(request)
        result = search_run(user=request.user, token=token, query=data.validated_data["query"],
                            top_k=data.validated_data.get("top_k", settings.RETRIEVAL_TOP_K),
                            mode=data.validated_data.get("mode"),
                            collection_ids=collection_ids_readable(user=request.user, token=token))
        return Response(self.Output(result).data)
