"""``POST /v1/chat/completions`` and ``GET /v1/models``, for the official ``openai`` SDK::

    client = OpenAI(base_url="https://perimeter.example/v1", api_key="pmt_...")
    r = client.chat.completions.create(model="perimeter", messages=[{"role": "user", "content": "..."}])
    r.choices[0].message.content, r.model_extra["perimeter"]["citations"]

Bearer API tokens with the ``query`` scope only. See :mod:`rag.openai_api.services`.
"""
from __future__ import annotations

import json

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from rag.access.authentication import APITokenAuthentication, token_of
from rag.access.permissions import TokenQueryAccess
from rag.openai_api.services import chat_completion_chunks, chat_completion_create, chat_models
from rag.qa.api import CitationOutput, SupportOutput


class ChatMessage(serializers.Serializer):
    """One message of the request (OpenAI Chat Completions)."""

    role = serializers.ChoiceField(choices=["system", "developer", "user", "assistant", "tool"])
    content = serializers.JSONField(help_text="a string, or a list of parts such as {'type': 'text', 'text': '...'}")


class StreamOptions(serializers.Serializer):
    """``stream_options``: ``include_usage`` adds a last chunk with the usage."""

    include_usage = serializers.BooleanField(required=False, default=False)


class ChatCompletionInput(serializers.Serializer):
    """The request body of ``POST /v1/chat/completions``."""

    model = serializers.CharField(help_text="'perimeter' for every collection you may read, or a collection slug")
    messages = ChatMessage(many=True, allow_empty=False)
    stream = serializers.BooleanField(required=False, default=False)
    stream_options = StreamOptions(required=False, allow_null=True)


class AssistantMessage(serializers.Serializer):
    """The answer as an assistant message."""

    role = serializers.ChoiceField(choices=["assistant"])
    content = serializers.CharField()


class Choice(serializers.Serializer):
    """The one choice of a completion."""

    index = serializers.IntegerField()
    message = AssistantMessage()
    finish_reason = serializers.ChoiceField(choices=["stop"])


class Usage(serializers.Serializer):
    """Token counts of the answer model call (0 when it was not called)."""

    prompt_tokens = serializers.IntegerField()
    completion_tokens = serializers.IntegerField()
    total_tokens = serializers.IntegerField()


class PerimeterExtra(serializers.Serializer):
    """Perimeter's extra member: question id, abstention, citations, support, turn and model."""

    question_id = serializers.IntegerField()
    abstained = serializers.BooleanField(help_text="true when the sources do not hold the answer")
    citations = CitationOutput(many=True)
    support = SupportOutput(help_text="why it abstained (with the closest passages) or is weakly supported")
    turn = serializers.DictField(help_text="conversation_id (null here), standalone_question (what retrieval "
                                           "searched: the rewrite of a follow-up) and rewrite_method "
                                           "('', 'model' or 'key-terms')")
    model = serializers.DictField(help_text="provider, model_id, prompt_version, name (registry entry) and arm "
                                            "(stable or candidate)")


class ChatCompletionOutput(serializers.Serializer):
    """A ``chat.completion`` object."""

    id = serializers.CharField()
    object = serializers.ChoiceField(choices=["chat.completion"])
    created = serializers.IntegerField(help_text="Unix seconds")
    model = serializers.CharField()
    choices = Choice(many=True)
    usage = Usage()
    perimeter = PerimeterExtra(help_text="Perimeter's extra member: the answer's citations")


class ModelObject(serializers.Serializer):
    """One model: ``perimeter`` or a readable collection's slug."""

    id = serializers.CharField()
    object = serializers.ChoiceField(choices=["model"])
    created = serializers.IntegerField()
    owned_by = serializers.CharField()


class ModelList(serializers.Serializer):
    """The body of ``GET /v1/models``."""

    object = serializers.ChoiceField(choices=["list"])
    data = ModelObject(many=True)


STREAM_DESCRIPTION = (
    "With `stream: true`: server-sent events, each `data: <chat.completion.chunk JSON>`, ending with "
    "`data: [DONE]`. The last chunk with `finish_reason: \"stop\"` carries `perimeter` "
    "(question_id, abstained, citations, support). A model failure mid-stream is sent as `data: {\"error\": {...}}`."
)


def _sse(items) -> bytes:
    for item in items:
        yield f"data: {json.dumps(item)}\n\n".encode()
    yield b"data: [DONE]\n\n"


class ChatCompletionsAPI(APIView):
    """Answer the last user message from your documents (OpenAI Chat Completions format).

    Errors (rendered by :func:`rag.core.api.exception_handler`, before any byte of a stream):
    400 ``invalid_request`` or ``invalid_question``, 404 ``model_not_found``, 503 ``model_unavailable``,
    503 ``busy`` or ``model_busy`` with ``Retry-After`` (admission and generation capacity, rag.llm.capacity)."""

    authentication_classes = [APITokenAuthentication]
    permission_classes = [TokenQueryAccess]
    parser_classes = [JSONParser]
    throttle_scope = "query"

    @extend_schema(
        operation_id="chat_completions_create",
        request=ChatCompletionInput,
        responses={
            (200, "application/json"): OpenApiResponse(ChatCompletionOutput, description="A chat.completion"),
            (200, "text/event-stream"): OpenApiResponse(OpenApiTypes.STR, description=STREAM_DESCRIPTION),
            404: OpenApiResponse(description="model_not_found: no such collection, or you may not read it"),
            503: OpenApiResponse(description="The answer model failed"),
        },
        examples=[OpenApiExample("question", request_only=True, value={
            "model": "perimeter", "messages": [{"role": "user", "content": "How many days of leave do I get?"}]})],
    )
    def post(self, request):
        """A completion, or its chunks as server-sent events with ``stream: true``."""
        data = ChatCompletionInput(data=request.data)
        data.is_valid(raise_exception=True)
        args = {"user": request.user, "token": token_of(request), "model": data.validated_data["model"],
                "messages": data.validated_data["messages"]}
        if data.validated_data["stream"]:
            options = data.validated_data.get("stream_options") or {}
            chunks = chat_completion_chunks(**args, include_usage=options.get("include_usage", False))
            response = StreamingHttpResponse(_sse(chunks), content_type="text/event-stream")
            response["Cache-Control"] = "no-cache"
            response["X-Accel-Buffering"] = "no"
            return response
        return Response(chat_completion_create(**args))


class ModelListAPI(APIView):
    """``perimeter`` (every collection you may read) and one model per readable collection."""

    authentication_classes = [APITokenAuthentication]
    permission_classes = [TokenQueryAccess]

    @extend_schema(operation_id="models_list", responses={200: ModelList})
    def get(self, request):
        """The models the token may use."""
        return Response({"object": "list", "data": chat_models(user=request.user, token=token_of(request))})
