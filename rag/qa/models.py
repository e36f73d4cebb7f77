from django.conf import settings
from django.db import models


class Question(models.Model):
    """A question asked through the UI or API (by a user, or by an API token: ``asked_by`` empty,
    ``asked_by_token`` set), with the local answer and its citations."""

    class Status(models.TextChoices):
        """How the question ended (or that its streamed answer is still on its way)."""

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
    # Conversations: a follow-up is retrieved with its standalone rewrite (rag.qa.conversation).
    conversation = models.ForeignKey("qa.Conversation", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="turns")
    standalone_question = models.TextField(blank=True, help_text="The follow-up rewritten to stand alone; "
                                                                 "empty for a first turn")
    rewrite_method = models.CharField(max_length=16, blank=True, help_text="model | key-terms | empty")
    # Which rollout arm answered (rag.llm.rollout), and with which registry entry and prompt.
    arm = models.CharField(max_length=16, blank=True, default="", db_index=True, help_text="stable | candidate")
    model_name = models.CharField(max_length=100, blank=True, default="")
    prompt_version = models.CharField(max_length=64, blank=True, default="")
    rollout = models.ForeignKey("llm.Rollout", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]


class Conversation(models.Model):
    """Turns asked one after the other on the ask page (or one ``/v1/chat/completions`` request):
    each is a :class:`Question` with ``conversation`` set, oldest first."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="conversations")
    owner_token = models.ForeignKey("access.APIToken", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]


class Feedback(models.Model):
    """A thumbs up or down on one answer, by its asker, with an optional comment and the
    sources the reviewer marked as right (``gold_document_ids``; default: the answer's citations
    on a thumbs up). The arm, model and prompt version are copied from the question so the
    comparison page never joins through a changed registry. One per question and rater."""

    class Rating(models.TextChoices):
        """Thumbs up (the answer is right) or down."""

        UP = "up"
        DOWN = "down"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="feedback")
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    rated_by_token = models.ForeignKey("access.APIToken", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    rating = models.CharField(max_length=8, choices=Rating.choices)
    comment = models.TextField(blank=True)
    gold_document_ids = models.JSONField(default=list, blank=True)
    arm = models.CharField(max_length=16, blank=True, default="")
    model_name = models.CharField(max_length=100, blank=True, default="")
    prompt_version = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["question", "rated_by"], condition=models.Q(rated_by__isnull=False),
                                    name="feedback_one_per_user"),
            models.UniqueConstraint(fields=["question", "rated_by_token"],
                                    condition=models.Q(rated_by_token__isnull=False), name="feedback_one_per_token"),
        ]


class ShadowAnswer(models.Model):
    """The candidate's unseen answer to a question the stable model answered (shadow mode,
    :func:`rag.qa.shadow.shadow_answer`), for offline comparison; never shown to the asker."""

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="shadow")
    rollout = models.ForeignKey("llm.Rollout", null=True, on_delete=models.SET_NULL, related_name="+")
    model_name = models.CharField(max_length=100)
    prompt_version = models.CharField(max_length=64)
    answer = models.TextField(blank=True)
    abstained = models.BooleanField(default=False)
    citations = models.JSONField(default=list)
    llm_call = models.ForeignKey("llm.LLMCall", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    generation_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
