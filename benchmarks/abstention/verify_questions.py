"""Check ``questions.jsonl`` against the corpus (standard library only; the dev set's normalisation).

    python3 benchmarks/abstention/verify_questions.py --corpus /tmp/abst-state/corpus/django-docs-5.2.19

- answerable: every gold file exists and contains every ``answer_must_contain`` string;
- unanswerable ``version_mismatch``: the corpus has no release notes for the asked release;
- unanswerable ``sibling_product`` and ``other``: printed with how many corpus files mention
  the product or the key name, for a reading by hand (a mention is allowed: that is the near miss);
- ids unique, questions unique, at least 150 unanswerable and 134 answerable.
Exit 1 on any failure.
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "shared" / "dev-eval"))
import score  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--qa", type=Path, default=HERE / "questions.jsonl")
    args = parser.parse_args()
    items = [json.loads(line) for line in args.qa.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = {p.relative_to(args.corpus).as_posix(): p.read_text(encoding="utf-8") for p in args.corpus.rglob("*.txt")}
    normed: dict[str, str] = {}
    errors = []
    if len({i["id"] for i in items}) != len(items) or len({i["question"] for i in items}) != len(items):
        errors.append("duplicate ids or questions")
    for item in items:
        if item["gold"]:
            for g in item["gold"]:
                if g not in docs:
                    errors.append(f"{item['id']}: gold {g} missing")
                    continue
                normed.setdefault(g, score.norm_text(docs[g]))
                for m in item["answer_must_contain"]:
                    if score.norm_text(m) not in normed[g]:
                        errors.append(f"{item['id']}: {g} lacks {m!r} ({item['question']})")
        elif item["kind"] == "version_mismatch":
            release = item["version"].split()[-1]
            if f"releases/{release}.txt" in docs:
                errors.append(f"{item['id']}: release notes for {release} exist")
    kinds = collections.Counter((bool(i["gold"]), i["kind"], i["split"]) for i in items)
    for (answerable, kind, split), n in sorted(kinds.items()):
        print(f"{'answerable' if answerable else 'unanswerable':13} {kind:18} {split:12} {n}")
    n_u = sum(1 for i in items if not i["gold"])
    n_a = len(items) - n_u
    if n_u < 150 or n_a < 134:
        errors.append(f"{n_a} answerable / {n_u} unanswerable: too few")
    low = "\n".join(docs.values()).lower()
    for item in items:
        if item["kind"] == "sibling_product":
            product = item["group"].split(":", 1)[1].lower()
            print(f"  {item['id']} {product!r} in corpus {low.count(product)}x: {item['question']}")
    for e in errors:
        print("FAIL", e)
    print("RESULT:", "OK" if not errors else f"{len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
