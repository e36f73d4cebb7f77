"""``POST /api/v1/questions/{id}/feedback``: thumbs up or down on an answer, by its asker."""
from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from rag.access.authentication import token_of
from rag.access.permissions import QueryAccess
from rag.qa.feedback import COMMENT_MAX_CHARS, feedback_give


class FeedbackAPI(APIView):
    """Rate the answer to one of your questions; a second rating replaces the first.

    Signed-in users or API tokens with the ``query`` scope, for questions they asked. Errors
    (rendered by :func:`rag.core.api.exception_handler`): 400 ``invalid_feedback``, 404 ``not_found``."""

    permission_classes = [QueryAccess]

    class Input(serializers.Serializer):
        rating = serializers.ChoiceField(choices=["up", "down"])
        comment = serializers.CharField(required=False, allow_blank=True, max_length=COMMENT_MAX_CHARS)
        gold_document_ids = serializers.ListField(child=serializers.IntegerField(), required=False,
                                                  help_text="Documents that hold the right answer (optional)")

    class Output(serializers.Serializer):
        question_id = serializers.IntegerField()
        rating = serializers.CharField()
        comment = serializers.CharField(allow_blank=True)
        arm = serializers.CharField(allow_blank=True)
        model_name = serializers.CharField(allow_blank=True)
        prompt_version = serializers.CharField(allow_blank=True)

    @extend_schema(request=Input,
                   responses={200: Output, 404: OpenApiResponse(description="No such question of yours")})
    def post(self, request, question_id: int):
        """Store the rating (rag.qa.feedback.feedback_give) and return it with the arm that answered."""
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        fb = feedback_give(question_id=question_id, user=request.user, token=token_of(request), **data.validated_data)
        return Response(self.Output({"question_id": fb.question_id, "rating": fb.rating, "comment": fb.comment,
                                     "arm": fb.arm, "model_name": fb.model_name,
                                     "prompt_version": fb.prompt_version}).data)
