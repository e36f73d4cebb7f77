from django.db import models


class LLMCall(models.Model):
    """One call to a language model, local or external. Written before the call
    (status ``started``) and completed after it, so a crash still leaves a trace."""

    class Status(models.TextChoices):
        STARTED = "started"
        OK = "ok"
        ERROR = "error"

    provider = models.CharField(max_length=64)
    model_id = models.CharField(max_length=200)
    prompt_version = models.CharField(max_length=64)
    purpose = models.CharField(max_length=64, help_text="answer | fallback | ...")
    prompt_tokens = models.PositiveIntegerField(null=True, blank=True)
    completion_tokens = models.PositiveIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True, help_text="Wall-clock milliseconds")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.STARTED)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
