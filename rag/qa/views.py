"""Web UI for asking. Thin: parse input, call one service, render."""
from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from rag.access.selectors import collection_ids_readable
from rag.access.throttling import rate_limit_refusal
from rag.llm.capacity import ServerBusy
from rag.qa.conversation import conversation_new, conversation_of
from rag.qa.services import QuestionInvalid, question_answer_stream


@login_required
def ask_page(request):
    """The ask page: a conversation whose answers stream from ``/ask/stream`` (server-sent events)."""
    # The escalation offer shows only where policy allows it (the external fallback is enabled).
    return render(request, "qa/ask.html", {"top_k": settings.RETRIEVAL_TOP_K,
                                           "max_chars": settings.QUERY_MAX_CHARS,
                                           "fallback_enabled": settings.FALLBACK_ENABLED})


def _sse(events):
    """Server-sent events of ``events``; closing this (Django does when the client goes away)
    closes ``events`` at once, so the question is marked interrupted (rag.qa.services)."""
    try:
        for event in events:
            yield f"event: {event['type']}\ndata: {json.dumps(event)}\n\n"
    finally:
        events.close()


@login_required
@require_POST
def ask_stream(request):
    """Server-sent events over a POST (fetch + ReadableStream on the page keeps CSRF)."""
    if refusal := rate_limit_refusal(request, scope="query"):
        return refusal
    try:
        top_k = int(request.POST.get("top_k") or settings.RETRIEVAL_TOP_K)
        # The page's conversation (POST conversation_id), or a new one: every question is a turn of one.
        # A new one is saved with its first question, so a refused question leaves none behind.
        conversation = (conversation_of(conversation_id=int(request.POST.get("conversation_id") or 0),
                                        user=request.user) or conversation_new(user=request.user))
        events = question_answer_stream(user=request.user, question=request.POST.get("question", ""), top_k=top_k,
                                        collection_ids=collection_ids_readable(user=request.user),
                                        conversation=conversation)
        first = next(events)  # raises QuestionInvalid before streaming starts
    except (QuestionInvalid, ValueError) as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain")
    except ServerBusy as exc:  # this process is full, or no generation slot: nothing was stored, the page may retry
        return HttpResponse(str(exc), status=exc.http_status, content_type="text/plain",
                            headers={"Retry-After": str(exc.retry_after_s)})

    def chained():
        try:
            yield first
            yield from events
        finally:
            events.close()  # also when closed right after the first event

    response = StreamingHttpResponse(_sse(chained()), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
