"""``manage.py feedback_export OUT.jsonl``: rated answers as a QA set for ``manage.py evaluate``.

    manage.py feedback_export feedback.jsonl && manage.py evaluate feedback.jsonl --retrieval-only

One line per rated question with gold sources (:func:`rag.qa.feedback.feedback_eval_records`).
"""
from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from rag.qa.feedback import feedback_eval_records


class Command(BaseCommand):
    """Write :func:`rag.qa.feedback.feedback_eval_records` to the file named on the command line."""

    help = "Write rated answers (thumbs up, or reviewer-marked sources) as a QA JSONL for `evaluate`."

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path, help="where to write the JSONL")

    def handle(self, *args, out: Path, **options):
        records = feedback_eval_records()
        out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        self.stdout.write(f"wrote {len(records)} questions to {out}")
