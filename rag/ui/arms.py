"""Arm comparison of a canary rollout, from logged data only (questions, model calls, feedback,
escalations), with confidence intervals so that "better" is not noise.

Rates (abstention, escalation, thumbs-up share, citation) get a Wilson score interval
(Wilson 1927; 95 %, z = 1.96), which stays inside [0, 1] and behaves at small counts.
Latency percentiles (p50, p95 of retrieval and generation, ms) get a percentile bootstrap
interval: 1,000 resamples with a fixed seed (Efron & Tibshirani 1993, ch. 13). Token counts
are means with a normal-approximation interval (mean ± 1.96 s/√n). Two arms differ on a
figure when their intervals do not overlap (conservative: overlap does not prove equality).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.db.models import Exists, OuterRef

from rag.fallback.models import FallbackRequest
from rag.llm.rollout import CANDIDATE, STABLE
from rag.qa.models import Feedback, Question, ShadowAnswer

Z95 = 1.96
BOOTSTRAP_RESAMPLES = 1000


@dataclass(frozen=True)
class Estimate:
    """A figure with its 95 % interval [low, high]; ``n`` is what it was computed from (0: no data)."""

    value: float | None
    low: float | None
    high: float | None
    n: int

    def overlaps(self, other: Estimate) -> bool:
        """Whether the two intervals share a point (True when either has no data)."""
        if None in (self.low, self.high, other.low, other.high):
            return True
        return not (self.high < other.low or other.high < self.low)


def wilson(successes: int, n: int, *, z: float = Z95) -> Estimate:
    """The share ``successes / n`` with its Wilson score interval."""
    if n == 0:
        return Estimate(None, None, None, 0)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return Estimate(p, max(0.0, centre - half), min(1.0, centre + half), n)


def bootstrap_percentile(values: list[float], q: float, *, seed: int = 0) -> Estimate:
    """The ``q``-th percentile (0-100) of ``values`` with a 95 % percentile-bootstrap interval."""
    if not values:
        return Estimate(None, None, None, 0)
    data = np.asarray(values, dtype=np.float64)
    rng = np.random.default_rng(seed)
    samples = rng.choice(data, size=(BOOTSTRAP_RESAMPLES, data.size), replace=True)
    stats = np.percentile(samples, q, axis=1)
    return Estimate(float(np.percentile(data, q)), float(np.percentile(stats, 2.5)),
                    float(np.percentile(stats, 97.5)), int(data.size))


def mean_normal(values: list[float]) -> Estimate:
    """The mean of ``values`` with a normal-approximation 95 % interval."""
    if not values:
        return Estimate(None, None, None, 0)
    data = np.asarray(values, dtype=np.float64)
    half = Z95 * float(data.std(ddof=1)) / math.sqrt(data.size) if data.size > 1 else 0.0
    return Estimate(float(data.mean()), float(data.mean()) - half, float(data.mean()) + half, int(data.size))


@dataclass
class ArmFigures:
    """One arm's figures over the window (see the module docstring for the intervals)."""

    arm: str
    models: list[str]
    count: int
    abstention: Estimate
    escalation: Estimate
    thumbs_up: Estimate
    citation: Estimate
    retrieval_p50: Estimate
    retrieval_p95: Estimate
    generation_p50: Estimate
    generation_p95: Estimate
    prompt_tokens: Estimate
    completion_tokens: Estimate
    differs: dict = field(default_factory=dict)  # figure name -> True when the intervals do not overlap


FIGURES = ("abstention", "escalation", "thumbs_up", "citation", "retrieval_p50", "retrieval_p95",
           "generation_p50", "generation_p95", "prompt_tokens", "completion_tokens")


def _arm(arm: str, rows: list[dict], ratings: dict[int, str]) -> ArmFigures:
    n = len(rows)
    rated = [ratings[r["pk"]] for r in rows if r["pk"] in ratings]
    answered = [r for r in rows if r["llm_call__pk"] is not None]
    return ArmFigures(
        arm=arm, models=sorted({r["model_name"] for r in rows}), count=n,
        abstention=wilson(sum(r["status"] == Question.Status.ABSTAINED for r in rows), n),
        escalation=wilson(sum(bool(r["escalated"]) for r in rows), n),
        thumbs_up=wilson(rated.count("up"), len(rated)),
        citation=wilson(sum(bool(r["citations"]) and r["status"] == Question.Status.ANSWERED for r in rows), n),
        retrieval_p50=bootstrap_percentile([r["retrieval_ms"] for r in rows], 50),
        retrieval_p95=bootstrap_percentile([r["retrieval_ms"] for r in rows], 95),
        generation_p50=bootstrap_percentile([r["generation_ms"] for r in answered], 50),
        generation_p95=bootstrap_percentile([r["generation_ms"] for r in answered], 95),
        prompt_tokens=mean_normal([r["llm_call__prompt_tokens"] for r in answered
                                   if r["llm_call__prompt_tokens"] is not None]),
        completion_tokens=mean_normal([r["llm_call__completion_tokens"] for r in answered
                                       if r["llm_call__completion_tokens"] is not None]),
    )


def arms_compare(*, since: datetime, until: datetime, rollout_id: int | None = None) -> list[ArmFigures]:
    """Stable and candidate figures of the questions answered in [since, until) (of one rollout when
    ``rollout_id`` is given), finished questions only (answered or abstained). Two queries."""
    rows = Question.objects.filter(created_at__gte=since, created_at__lt=until, arm__in=[STABLE, CANDIDATE],
                                   status__in=[Question.Status.ANSWERED, Question.Status.ABSTAINED])
    if rollout_id is not None:
        rows = rows.filter(rollout_id=rollout_id)
    rows = list(rows.annotate(escalated=Exists(FallbackRequest.objects.filter(question=OuterRef("pk"))))
                .values("pk", "arm", "model_name", "status", "citations", "retrieval_ms", "generation_ms",
                        "escalated", "llm_call__pk", "llm_call__prompt_tokens", "llm_call__completion_tokens"))
    ratings = dict(Feedback.objects.filter(question_id__in=[r["pk"] for r in rows])
                   .order_by("updated_at").values_list("question_id", "rating"))
    figures = [_arm(arm, [r for r in rows if r["arm"] == arm], ratings) for arm in (STABLE, CANDIDATE)]
    for name in FIGURES:
        a, b = getattr(figures[0], name), getattr(figures[1], name)
        figures[0].differs[name] = figures[1].differs[name] = not a.overlaps(b)
    return figures


def shadow_count(*, since: datetime, until: datetime, rollout_id: int | None = None) -> dict:
    """Shadow answers stored in the window: ``{"count", "abstained", "errors"}``."""
    rows = ShadowAnswer.objects.filter(created_at__gte=since, created_at__lt=until)
    if rollout_id is not None:
        rows = rows.filter(rollout_id=rollout_id)
    return {"count": rows.count(), "abstained": rows.filter(abstained=True).count(),
            "errors": rows.exclude(error="").count()}
