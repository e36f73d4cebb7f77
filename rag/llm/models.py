from django.db import models


class LLMCall(models.Model):
    """One call to a language model, local or external. Written before the call
    (status ``started``) and completed after it, so a crash still leaves a trace."""

    class Status(models.TextChoices):
        """``started`` before the call, then ``ok`` or ``error``."""

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
    arm = models.CharField(max_length=16, blank=True, default="",
                           help_text="Rollout arm that made the call: stable | candidate | shadow; empty: none")
    model_name = models.CharField(max_length=100, blank=True, default="",
                                  help_text="Name of the local model registry entry (rag.llm.local_models)")

    class Meta:
        ordering = ["-created_at"]


class Rollout(models.Model):
    """A canary of one registered local model (``candidate``) against the ``stable`` one.

    While ``active``, ``share_percent`` of users (sticky: a hash of user and rollout id) get the
    candidate, except for answers drawn from ``pinned_collection_ids``; with ``shadow`` the
    candidate also answers every stable question unseen, for offline comparison. It ends
    ``promoted`` (the candidate becomes stable) or ``rolled_back`` (the stable stays), audited
    (:mod:`rag.llm.rollout`). At most one is active."""

    class Status(models.TextChoices):
        """Where a rollout is: running, or ended one way or the other."""

        ACTIVE = "active"
        PROMOTED = "promoted"
        ROLLED_BACK = "rolled_back"

    stable = models.CharField(max_length=100, help_text="Registry name of the stable model")
    candidate = models.CharField(max_length=100, help_text="Registry name of the candidate model")
    share_percent = models.FloatField(help_text="Percent of users routed to the candidate, 0-100")
    shadow = models.BooleanField(default=False, help_text="Also run the candidate, unseen, on stable questions")
    pinned_collection_ids = models.JSONField(default=list, blank=True,
                                             help_text="Collections always answered by the stable model")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    started_by = models.CharField(max_length=200)
    started_at = models.DateTimeField(auto_now_add=True)
    ended_by = models.CharField(max_length=200, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["status"], condition=models.Q(status="active"),
                                               name="rollout_one_active")]
