"""``manage.py evaluate QA.jsonl``: retrieval and answer quality of the real pipeline on a question set.

    manage.py evaluate ../shared/dev-eval/qa.jsonl --retrieval-only --modes dense,bm25,hybrid
    manage.py evaluate qa.jsonl --collection hr --json report.json --results answers.jsonl
    manage.py evaluate benchmarks/abstention/questions.jsonl --retrieval-only --top-k 5 --json r.json --plot r.png
    manage.py evaluate qa.jsonl --model smollm2-135m-v2   # a registry entry (rollout candidate), offline

QA.jsonl has one question a line, as in the dev set:
``{"id", "question", "gold": ["ref/settings.txt", ...], "answer_must_contain": [...], "kind"}``
(``gold`` empty for questions the documents cannot answer). Gold paths are
matched against each citation's ``Document.source``: the path relative to the
folder that was ingested. Metrics are defined in :mod:`rag.qa.evaluation`.

Each question goes through :func:`rag.search.selectors.retrieval_run` (with
``--retrieval-only``: what would be cited, or an abstention) or the whole
:func:`rag.qa.services.question_answer` (the local model answers; every
question is stored and audited like any other). Retrieval latency includes
embedding the question; the model is loaded and each mode run once before
timing starts.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import override_settings

from ingest.models import Collection
from rag.llm.local_models import registry_load
from rag.llm.rollout import model_stable_name
from rag.qa.prompts import DONT_KNOW
from rag.qa.evaluation import (QAItem, QAResult, Report, abstention_report, calibration_bins, item_correct,
                                qa_item_from_json, reliability_curve, report_build)
from rag.qa.services import AnswerModelUnavailable, question_answer
from rag.search.selectors import MODES, retrieval_run

ROWS = [
    ("hit@1", "hit_at_1", "{:.3f}"),
    ("hit@5", "hit_at_5", "{:.3f}"),
    ("MRR@10", "mrr_at_10", "{:.3f}"),
    ("answer accuracy", "answer_accuracy", "{:.3f}"),
    ("abstention accuracy", "abstention_accuracy", "{:.3f}"),
    ("false abstentions", "false_abstentions", "{:d}"),
    ("abstention precision", "abstention_precision", "{:.3f}"),
    ("abstention recall", "abstention_recall", "{:.3f}"),
    ("false-abstention rate", "false_abstention_rate", "{:.3f}"),
    ("retrieval ms p50", "retrieval_ms_p50", "{:.0f}"),
    ("retrieval ms p95", "retrieval_ms_p95", "{:.0f}"),
    ("generation ms p50", "generation_ms_p50", "{:.0f}"),
    ("generation ms p95", "generation_ms_p95", "{:.0f}"),
]


def qa_load(path: Path) -> list[QAItem]:
    """The QA items of a JSONL file. Raises CommandError naming the file and line of a bad record."""
    items = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc}")
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            items.append(qa_item_from_json(json.loads(line)))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise CommandError(f"{path}:{n}: not a QA record ({exc!r})")
    if not items:
        raise CommandError(f"{path} has no questions")
    return items


class Command(BaseCommand):
    """Run a QA set through retrieval (and the answer model) and report the metrics per mode."""

    help = "Run a QA set through retrieval (and generation) and print hit@k, MRR, accuracy and latency per mode."

    def add_arguments(self, parser):
        parser.add_argument("qa", type=Path, help="QA JSONL (the dev set's qa.jsonl format)")
        parser.add_argument("--retrieval-only", action="store_true", help="skip generation (no model calls)")
        parser.add_argument("--modes", default=None,
                            help=f"comma-separated retrieval modes to compare, of {','.join(MODES)} "
                                 "(default: RETRIEVAL_MODE)")
        parser.add_argument("--collection", default=None, help="only search this collection (slug)")
        parser.add_argument("--top-k", type=int, default=10, help="chunks retrieved per question (default 10)")
        parser.add_argument("--json", dest="json_out", type=Path, default=None,
                            help="write the report as JSON here")
        parser.add_argument("--plot", type=Path, default=None,
                            help="draw the reliability curves (answered share vs accuracy, one per mode) as PNG here")
        parser.add_argument("--model", default=None,
                            help="registry entry that answers (rag.llm.local_models; default: the current stable "
                                 "model); evaluation answers are outside any canary rollout")
        parser.add_argument("--results", type=Path, default=None,
                            help="write score.py-compatible {id, answer, citations, abstained} lines here "
                                 "(with several modes: one file per mode, NAME.MODE.jsonl)")

    def handle(self, *args, qa: Path, retrieval_only: bool, modes: str | None, collection: str | None,
               top_k: int, json_out: Path | None, results: Path | None, plot: Path | None = None, **options):
        items = qa_load(qa)
        mode_list = [m.strip() for m in (modes or settings.RETRIEVAL_MODE).split(",") if m.strip()]
        unknown = [m for m in mode_list if m not in MODES]
        if unknown or not mode_list:
            raise CommandError(f"unknown mode(s) {', '.join(unknown)}; choose from {', '.join(MODES)}")
        if not 1 <= top_k <= settings.RETRIEVAL_MAX_TOP_K:
            raise CommandError(f"--top-k must be between 1 and {settings.RETRIEVAL_MAX_TOP_K}")
        collection_ids = None
        if collection:
            found = Collection.objects.filter(slug=collection).values_list("id", flat=True).first()
            if found is None:
                raise CommandError(f"no collection {collection!r}")
            collection_ids = [found]
        verbose = options.get("verbosity", 1) >= 2
        self.model = options.get("model") or model_stable_name()
        if self.model not in registry_load().models:
            raise CommandError(f"no model {self.model!r} in the registry; known: {', '.join(registry_load().models)}")

        reports: dict[str, Report] = {}
        for mode in mode_list:
            # Warm-up (model load, caches), not timed.
            retrieval_run(question=items[0].question, top_k=top_k, collection_ids=collection_ids, mode=mode)
            by_id: dict[str, QAResult] = {}
            for item in items:
                by_id[item.id] = self._run(item, mode=mode, top_k=top_k, collection_ids=collection_ids,
                                           answers=not retrieval_only)
                if verbose:
                    self._trace(mode, item, by_id[item.id])
            reports[mode] = report_build(items, by_id, answers=not retrieval_only)
            abst = abstention_report(items, {i: r.abstained for i, r in by_id.items()})
            reports[mode].abstention_precision = abst.precision
            reports[mode].abstention_recall = abst.recall
            reports[mode].false_abstention_rate = abst.false_abstention_rate
            reports[mode].abstained_per_kind = abst.per_kind
            scores = [self._score(by_id[i.id]) for i in items]
            correct = [item_correct(i, by_id[i.id], answers=not retrieval_only) for i in items]
            reports[mode].reliability = reliability_curve(scores, correct)
            reports[mode].calibration_bins = calibration_bins(scores, [i.answerable for i in items])
            if results:
                out = results if len(mode_list) == 1 else results.with_name(f"{results.stem}.{mode}.jsonl")
                self._write_results(out, by_id.values())
        self._print_table(reports, qa=qa, top_k=top_k, collection=collection, retrieval_only=retrieval_only)
        if json_out:
            json_out.write_text(json.dumps({
                "qa": str(qa), "model": self.model, "top_k": top_k, "collection": collection,
                "retrieval_only": retrieval_only,
                "settings": {k: getattr(settings, k) for k in (
                    "RETRIEVAL_MODE", "BM25_K1", "BM25_B", "RETRIEVAL_RRF_K", "RETRIEVAL_FUSION_DEPTH",
                    "RETRIEVAL_MIN_SCORE", "RETRIEVAL_ABSTAIN_MIN_COSINE", "RETRIEVAL_ABSTAIN_UNKNOWN_NAMES",
                    "RETRIEVAL_ABSTAIN_MODEL",
                    "CHUNK_MAX_TOKENS", "CHUNK_OVERLAP_TOKENS")},
                "modes": {m: asdict(r) for m, r in reports.items()},
            }, indent=2, default=str))
            self.stdout.write(f"report: {json_out}")
        if plot:
            self._plot(plot, reports)

    def _run(self, item: QAItem, *, mode: str, top_k: int, collection_ids, answers: bool) -> QAResult:
        if not answers:
            r = retrieval_run(question=item.question, top_k=top_k, collection_ids=collection_ids, mode=mode)
            return QAResult(item.id, "" if r.relevant else DONT_KNOW, [c.source for c in r.relevant],
                            abstained=not r.relevant, retrieval_ms=r.retrieval_ms, support_p=r.support.probability,
                            support_reason=r.support.reason, retrieved=[h.source for h in r.hits])
        # question_answer reads the mode from settings, so a run can compare modes.
        try:
            with override_settings(RETRIEVAL_MODE=mode):
                answer = question_answer(user=None, question=item.question, top_k=top_k,
                                         collection_ids=collection_ids, model=self.model)
        except AnswerModelUnavailable as exc:  # scored as no answer, no citation; the run goes on
            self.stderr.write(f"{mode} {item.id}: {exc}")
            return QAResult(item.id, "", [], abstained=False, retrieval_ms=math.nan, generation_ms=math.nan)
        return QAResult(item.id, answer.answer, [c["source"] for c in answer.citations], answer.abstained,
                        retrieval_ms=answer.timings_ms.get("retrieval", math.nan),
                        generation_ms=answer.timings_ms.get("generation", math.nan),
                        support_p=answer.support.get("probability"), support_reason=answer.support.get("reason", ""))

    @staticmethod
    def _score(r: QAResult) -> float:
        """The threshold sweep's score: P(answerable), or 1/0 for the rule's answered/abstained."""
        if r.support_p is not None:
            return r.support_p
        return 0.0 if r.abstained else 1.0

    def _plot(self, path: Path, reports: dict[str, Report]) -> None:
        try:
            from PIL import Image, ImageDraw
        except ImportError:  # Pillow comes with the embedding stack; without it the JSON still has the curves
            self.stderr.write("--plot needs Pillow; the curves are in the JSON report")
            return
        w, h, m = 640, 480, 60
        img = Image.new("RGB", (w, h), "white")
        d = ImageDraw.Draw(img)
        d.rectangle([m, m, w - m, h - m], outline="black")
        d.text((m, 20), "answered share (x) vs accuracy (y), threshold sweep", fill="black")
        for t in range(0, 11, 2):
            d.text((m + t / 10 * (w - 2 * m) - 8, h - m + 8), f"{t / 10:.1f}", fill="black")
            d.text((m - 34, h - m - t / 10 * (h - 2 * m) - 6), f"{t / 10:.1f}", fill="black")
        colours = [(31, 119, 180), (214, 39, 40), (44, 160, 44)]
        for n, (mode, rep) in enumerate(reports.items()):
            pts = [(m + p["answered_share"] * (w - 2 * m), h - m - p["accuracy"] * (h - 2 * m))
                   for p in rep.reliability if not math.isnan(p["accuracy"])]
            if len(pts) > 1:
                d.line(pts, fill=colours[n % 3], width=2)
            d.text((w - m - 120, m + 10 + 16 * n), mode, fill=colours[n % 3])
        img.save(path)
        self.stdout.write(f"plot: {path}")

    def _trace(self, mode: str, item: QAItem, r: QAResult) -> None:
        docs = list(dict.fromkeys(r.citations))
        rank = next((n for n, d in enumerate(docs, 1) if d in item.gold), None)
        status = ("abstained" if r.abstained else "answered") if not item.answerable else (
            f"gold at {rank}" if rank else "gold missed")
        self.stdout.write(f"  {mode:6} {item.id} {item.kind:12} {status:12} {r.retrieval_ms:5.0f} ms  "
                          f"{', '.join(docs[:5])}")

    def _write_results(self, path: Path, rows) -> None:
        with path.open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps({"id": r.id, "answer": r.answer, "citations": r.citations,
                                     "abstained": r.abstained}, ensure_ascii=False) + "\n")
        self.stdout.write(f"results: {path}")

    def _print_table(self, reports: dict[str, Report], *, qa, top_k, collection, retrieval_only) -> None:
        first = next(iter(reports.values()))
        self.stdout.write(f"{qa}: {first.n_answerable} answerable + {first.n_unanswerable} unanswerable "
                          f"questions; top_k={top_k}; collection={collection or 'all'}"
                          + ("; retrieval only" if retrieval_only else ""))
        width = max(12, *(len(m) + 2 for m in reports))
        self.stdout.write(f"{'':22}" + "".join(f"{m:>{width}}" for m in reports))
        for label, attr, fmt in ROWS:
            values = [getattr(r, attr) for r in reports.values()]
            if all(v is None for v in values):
                continue
            cells = ["-" if v is None or (isinstance(v, float) and math.isnan(v)) else fmt.format(v)
                     for v in values]
            self.stdout.write(f"{label:22}" + "".join(f"{c:>{width}}" for c in cells))
        kinds = sorted({k for r in reports.values() for k in r.per_kind_hit_at_5})
        for kind in kinds:
            cells = [f"{r.per_kind_hit_at_5.get(kind, math.nan):.3f}" for r in reports.values()]
            self.stdout.write(f"{'  hit@5 ' + kind:22}" + "".join(f"{c:>{width}}" for c in cells))

