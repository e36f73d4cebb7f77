#!/usr/bin/env python
"""Redaction throughput and quality on a PII JSONL set (no Django, no database).

    HF_HUB_OFFLINE=1 PYTHONPATH=. python benchmarks/redaction_bench.py \
        /work/shared/dev-eval/pii_dev.jsonl --out /tmp/redaction_results.jsonl
    python3 /work/shared/dev-eval/score.py --pii-results /tmp/redaction_results.jsonl

Runs :func:`rag.privacy.redaction.payload_redact_checked` (pseudonymise +
residual scan, one record per call, exactly as ``manage.py redact`` and the
fallback path do), writes ``{"id", "redacted"[, "blocked", "reason"]}`` lines
and prints texts/s (model loading excluded, reported apart). spaCy uses the
threads it gets; pin with ``OMP_NUM_THREADS`` for comparable runs.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from rag.privacy.jsonl import jsonl_redact  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", help='JSONL with {"id", "text"} (e.g. dev-eval/pii_dev.jsonl)')
    parser.add_argument("--out", default="redaction_results.jsonl", help="results JSONL (default: %(default)s)")
    args = parser.parse_args(argv)
    stats = jsonl_redact(args.input, args.out)
    print(f"records       {stats.records}")
    print(f"blocked       {stats.blocked}")
    print(f"model load    {stats.load_s:.2f} s")
    print(f"redaction     {stats.run_s:.2f} s  ->  {stats.texts_per_s:.1f} texts/s")
    print(f"results       {args.out}")
    score = Path(args.input).resolve().parent / "score.py"
    print(f"score with:   python3 {score if score.exists() else 'score.py'} --pii-results {args.out}"
          + ("" if Path(args.input).name == "pii_dev.jsonl" else f" --pii {args.input}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
