from django.conf import settings
from django.db import models


class Question(models.Model):
    """A question asked through the UI or API (by a user, or by an API token: ``asked_by`` empty,
    ``asked_by_token`` set), with the local answer and its citations."""

    class Status(models.TextChoices):
        ANSWERED = "answered"
        ABSTAINED = "abstained"  # nothing relevant retrieved, or the model said it does not know
        ERROR = "error"
        STREAMING = "streaming"  # saved before the first streamed byte; the answer is on its way
        INTERRUPTED = "interrupted"  # the client went away before the streamed answer was complete

    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                 related_name="questions")
    asked_by_token = models.ForeignKey("access.APIToken", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+", help_text="The API token the question was asked with")
    text = models.TextField()
    top_k = models.PositiveSmallIntegerField()
    answer = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices)
    citations = models.JSONField(default=list, help_text="Citation dicts as returned by the API")
    retrieved_chunk_ids = models.JSONField(default=list)
    llm_call = models.ForeignKey("llm.LLMCall", null=True, blank=True, on_delete=models.SET_NULL)
    support_reason = models.CharField(
        max_length=500, blank=True,
        help_text='Why it abstained or is weakly supported, e.g. "the documents cover Django up to 5.2.19; '
                  'the question asks about Django 6.1" (rag.search.abstention)')
    support_probability = models.FloatField(null=True, blank=True,
                                            help_text="P(answerable) from the support model; empty under the rule")
    weakly_supported = models.BooleanField(default=False)
    retrieval_ms = models.PositiveIntegerField(default=0)
    generation_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
