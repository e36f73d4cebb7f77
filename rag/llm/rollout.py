"""Canary rollouts of local models: which model answers a question, and promote / roll back.

Routing (:func:`arm_route`) is a pure function of the rollout, the asker and the
collections the answer draws on:

- no active rollout: the stable model (:func:`model_stable_name`);
- an answer drawing on a collection pinned to the stable model: stable, always;
- otherwise the candidate for ``share_percent`` of askers: the asker's bucket is the
  first 8 bytes of SHA-256(``"<rollout id>:<asker key>"``) mod 10,000, so one asker
  stays on one arm for the whole rollout (sticky), and a new rollout reshuffles.

State changes (:func:`rollout_start`, :func:`rollout_promote`, :func:`rollout_rollback`)
write their audit row in the same transaction. Which model is stable now: the
candidate of the last promoted rollout, else the stable of the last ended one,
else the registry's ``stable``.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from rag.audit.models import AuditEvent
from rag.audit.services import audit_append
from rag.core.errors import Conflict, DomainError
from rag.llm.local_models import LocalModel, registry_load
from rag.llm.models import Rollout

STABLE, CANDIDATE, SHADOW = "stable", "candidate", "shadow"
BUCKETS = 10_000


class RolloutInvalid(DomainError):
    """A rollout that cannot start (unknown model, same model twice, share out of 0-100):
    400 ``invalid_rollout``."""

    code = "invalid_rollout"
    http_status = 400


class RolloutNotActive(Conflict):
    """Promote or roll back a rollout that already ended: 409 ``rollout_not_active``."""

    code = "rollout_not_active"


@dataclass(frozen=True)
class Route:
    """The arm that answers and its registry entry; ``reason`` says why (shown on the admin page,
    e.g. ``"pinned collection"``); ``shadow`` is the candidate to run unseen, or None."""

    arm: str
    model: LocalModel
    rollout_id: int | None
    reason: str
    shadow: LocalModel | None = None


def rollout_active() -> Rollout | None:
    """The active rollout, or None."""
    return Rollout.objects.filter(status=Rollout.Status.ACTIVE).first()


def model_stable_name() -> str:
    """The registry name of the model that answers outside a canary (see the module docstring)."""
    last = Rollout.objects.exclude(status=Rollout.Status.ACTIVE).order_by("-ended_at", "-id").first()
    if last is None:
        return registry_load().stable
    return last.candidate if last.status == Rollout.Status.PROMOTED else last.stable


def asker_bucket(*, rollout_id: int, asker_key: str) -> int:
    """The asker's bucket in [0, 10000): SHA-256 of ``"<rollout_id>:<asker_key>"``, first 8 bytes, mod 10,000."""
    digest = hashlib.sha256(f"{rollout_id}:{asker_key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % BUCKETS


def arm_route(*, asker_key: str, collection_ids: set[int], rollout: Rollout | None = None,
              active: bool = True) -> Route:
    """Which model answers. ``asker_key`` identifies the asker stably (``"user:<pk>"``,
    ``"token:<pk>"``); ``collection_ids`` are the collections of the passages the answer draws
    on. ``rollout`` defaults to the active one (``active=False``: ignore rollouts). No model
    call, one or two queries. Raises KeyError if a registry name has gone from the registry."""
    registry = registry_load()
    rollout = rollout if rollout is not None else (rollout_active() if active else None)
    if rollout is None:
        return Route(STABLE, registry.get(model_stable_name()), None, "no active rollout")
    stable = registry.get(rollout.stable)
    if collection_ids & set(rollout.pinned_collection_ids):
        return Route(STABLE, stable, rollout.pk, "pinned collection")
    if asker_bucket(rollout_id=rollout.pk, asker_key=asker_key) < round(rollout.share_percent * BUCKETS / 100):
        return Route(CANDIDATE, registry.get(rollout.candidate), rollout.pk, "canary share")
    return Route(STABLE, stable, rollout.pk, "stable share",
                 shadow=registry.get(rollout.candidate) if rollout.shadow else None)


@transaction.atomic(durable=True)
def rollout_start(*, candidate: str, share_percent: float, actor, shadow: bool = False,
                  pinned_collection_ids: list[int] | None = None) -> Rollout:
    """Start a canary of registry entry ``candidate`` against the current stable model, audited
    (``rollout.started``). Raises RolloutInvalid, or Conflict when one is already active."""
    registry = registry_load()
    stable = model_stable_name()
    if candidate not in registry.models:
        raise RolloutInvalid(f"no local model {candidate!r} in the registry")
    if candidate == stable:
        raise RolloutInvalid(f"{candidate} is already the stable model")
    if not 0 <= share_percent <= 100:
        raise RolloutInvalid("the share must be between 0 and 100 percent")
    try:
        with transaction.atomic():
            rollout = Rollout.objects.create(stable=stable, candidate=candidate, share_percent=share_percent,
                                             shadow=shadow, pinned_collection_ids=sorted(pinned_collection_ids or []),
                                             started_by=str(getattr(actor, "username", actor)))
    except IntegrityError:
        raise Conflict("a rollout is already active: promote it or roll it back first") from None
    audit_append(event_type=AuditEvent.EventType.ROLLOUT_STARTED, actor=actor, target_type="rollout",
                 target_id=rollout.pk, details={"stable": stable, "candidate": candidate,
                                                "share_percent": share_percent, "shadow": shadow,
                                                "pinned_collection_ids": rollout.pinned_collection_ids})
    return rollout


def _end(*, rollout_id: int, actor, status: str, event_type: str) -> Rollout:
    rollout = Rollout.objects.select_for_update().filter(pk=rollout_id).first()
    if rollout is None or rollout.status != Rollout.Status.ACTIVE:
        raise RolloutNotActive("this rollout is not active any more")
    rollout.status, rollout.ended_at = status, timezone.now()
    rollout.ended_by = str(getattr(actor, "username", actor))
    rollout.save(update_fields=["status", "ended_at", "ended_by"])
    now_stable = rollout.candidate if status == Rollout.Status.PROMOTED else rollout.stable
    audit_append(event_type=event_type, actor=actor, target_type="rollout", target_id=rollout.pk,
                 details={"stable_before": rollout.stable, "candidate": rollout.candidate,
                          "stable_now": now_stable, "share_percent": rollout.share_percent})
    return rollout


@transaction.atomic(durable=True)
def rollout_promote(*, rollout_id: int, actor) -> Rollout:
    """The candidate becomes the stable model for everyone, audited (``rollout.promoted``).
    Raises RolloutNotActive."""
    return _end(rollout_id=rollout_id, actor=actor, status=Rollout.Status.PROMOTED,
                event_type=AuditEvent.EventType.ROLLOUT_PROMOTED)


@transaction.atomic(durable=True)
def rollout_rollback(*, rollout_id: int, actor) -> Rollout:
    """Everyone goes back to the stable model, audited (``rollout.rolled_back``). Raises RolloutNotActive."""
    return _end(rollout_id=rollout_id, actor=actor, status=Rollout.Status.ROLLED_BACK,
                event_type=AuditEvent.EventType.ROLLOUT_ROLLED_BACK)
