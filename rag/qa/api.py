from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from rag.core.api import error_response
from rag.llm.base import LLMError
from rag.qa.services import QuestionInvalid, question_answer


class QueryAPI(APIView):
    """Answer a question from the documents, with citations."""

    class Input(serializers.Serializer):
        question = serializers.CharField(allow_blank=True, trim_whitespace=True)
        top_k = serializers.IntegerField(required=False, min_value=1, max_value=settings.RETRIEVAL_MAX_TOP_K)

    class Citation(serializers.Serializer):
        document_id = serializers.IntegerField()
        source = serializers.CharField()
        heading = serializers.CharField(allow_blank=True)
        page = serializers.IntegerField(allow_null=True)
        chunk_id = serializers.IntegerField()
        score = serializers.FloatField()
        snippet = serializers.CharField()

    class Output(serializers.Serializer):
        question_id = serializers.IntegerField()
        answer = serializers.CharField()
        abstained = serializers.BooleanField()
        citations = serializers.ListField(child=serializers.DictField())
        model = serializers.DictField()
        timings_ms = serializers.DictField(child=serializers.IntegerField())

    @extend_schema(request=Input, responses={200: Output})
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            answer = question_answer(user=request.user, question=data.validated_data["question"],
                                     top_k=data.validated_data.get("top_k", settings.RETRIEVAL_TOP_K))
        except QuestionInvalid as exc:
            return error_response(code="invalid_question", message=str(exc))
        except LLMError as exc:
            return error_response(code="model_unavailable", message=f"the answer model failed: {exc}",
                                  http_status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return Response(self.Output(answer.as_dict()).data)
