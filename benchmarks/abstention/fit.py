"""Fit the support model (logistic regression) on the calibration split and report on the held-out split.

    eval "$(./perimeter python benchmarks/abstention/corpus_db.py | grep ^export)"   # the ingested docs
    ./perimeter python benchmarks/abstention/fit.py                 # features (DB) + fit + report
    ./perimeter python benchmarks/abstention/fit.py --from-cache    # refit from features.jsonl

1. For every question of ``questions.jsonl``: hybrid top-``--top-k`` hits, the support
   features (:func:`rag.search.support.support_features`), the old rule's decision
   (:func:`rag.search.abstention.retrieval_abstain_reason`) and whether a gold document is
   among the hits; cached in ``features.jsonl``.
2. Standardise, fit scikit-learn's ``LogisticRegression`` (L2, C=``--c``, balanced classes) on
   the **calibration** split only; the abstain threshold is the highest P(answerable) that keeps
   false abstentions on calibration answerable questions at or below ``--max-false`` (a margin
   under the 0.05 target); the weak threshold is 0.5 (or the abstain threshold if higher).
3. Write ``rag/search/support_model.json`` (coefficients as JSON) and ``report.json``; print per
   split and kind the abstention rate (unanswerable) and false-abstention rate (answerable) of the
   old rule and of the model, the calibration bins, examples, and draw ``reliability.png`` and
   ``calibration.png`` (held-out split; both gitignored).
The held-out split is never used to choose anything.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))


def collect(items: list[dict], *, top_k: int) -> list[dict]:
    from ingest.embedding import texts_embed
    from rag.search.abstention import retrieval_abstain_reason
    from rag.search.selectors import chunks_search
    from rag.search.support import support_features

    rows = []
    for n, item in enumerate(items, 1):
        vec = texts_embed([item["question"]])[0]
        hits = chunks_search(query=item["question"], query_embedding=vec, mode="hybrid", top_k=top_k)
        f = support_features(question=item["question"], query_embedding=vec, hits=hits, collection_ids=None)
        old = retrieval_abstain_reason(question=item["question"], hits=hits)
        docs = list(dict.fromkeys(h.source for h in hits))
        rows.append({"id": item["id"], "values": f.values, "old_reason": old,
                     "hit5": bool(set(item["gold"]) & set(docs[:5])),
                     "closest": [f"{h.source} > {h.heading}"[:120] for h in hits[:2]],
                     "missing_terms": f.missing_terms[:5], "unknown_names": f.unknown_names,
                     "missing_names": f.missing_names, "missing_versions": f.missing_versions,
                     "undocumented": f.undocumented})
        if n % 20 == 0:
            print(f"  features {n}/{len(items)}", flush=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--qa", type=Path, default=HERE / "questions.jsonl")
    parser.add_argument("--cache", type=Path, default=HERE / "features.jsonl")
    parser.add_argument("--from-cache", action="store_true")
    parser.add_argument("--top-k", type=int, default=5)
    parser.add_argument("--c", type=float, default=1.0)
    parser.add_argument("--max-false", type=float, default=0.03)
    parser.add_argument("--model-out", type=Path, default=ROOT / "rag/search/support_model.json")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rag.settings")
    import django

    django.setup()
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from plot import plot_png
    from rag.qa.evaluation import calibration_bins, reliability_curve
    from rag.search.abstention import SupportModel, support_reason
    from rag.search.support import FEATURES, SupportFeatures

    items = [json.loads(line) for line in args.qa.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.from_cache:
        rows = [json.loads(line) for line in args.cache.read_text(encoding="utf-8").splitlines()]
    else:
        rows = collect(items, top_k=args.top_k)
        args.cache.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    by_id = {r["id"]: r for r in rows}
    X = {s: np.array([[by_id[i["id"]]["values"][f] for f in FEATURES] for i in items if i["split"] == s])
         for s in ("calibration", "heldout")}
    y = {s: np.array([bool(i["gold"]) for i in items if i["split"] == s]) for s in ("calibration", "heldout")}
    mean = X["calibration"].mean(axis=0)
    scale = X["calibration"].std(axis=0)
    scale[scale < 1e-6] = 1.0
    lr = LogisticRegression(C=args.c, class_weight="balanced", max_iter=2000)
    lr.fit((X["calibration"] - mean) / scale, y["calibration"])
    p_cal = lr.predict_proba((X["calibration"] - mean) / scale)[:, 1]
    # With or without the unknown-name rule on top: whichever abstains more on calibration
    # unanswerable questions with at most --max-false false abstentions on calibration answerable ones.
    cal_items = [i for i in items if i["split"] == "calibration"]
    unknown = np.array([bool(by_id[i["id"]]["unknown_names"]) for i in cal_items])
    best = None
    for rule in (False, True):
        declined = unknown & y["calibration"] if rule else np.zeros_like(unknown)
        ans = np.sort(p_cal[y["calibration"] & ~declined])
        allowed = int(math.floor(args.max_false * y["calibration"].sum())) - int(declined.sum())
        if allowed < 0:
            continue
        t = float(ans[allowed]) - 1e-6 if allowed < len(ans) else 0.5
        abstained = ((p_cal < t) | (unknown & rule))[~y["calibration"]].mean()
        print(f"calibration: unknown-name rule {rule}: threshold {t:.3f}, abstention {abstained:.3f}")
        if best is None or abstained > best[2] + 1e-9:
            best = (rule, t, abstained)
    unknown_rule, threshold, _ = best
    model_json = {
        "features": list(FEATURES), "mean": mean.tolist(), "scale": scale.tolist(),
        "coef": lr.coef_[0].tolist(), "intercept": float(lr.intercept_[0]),
        "threshold": round(threshold, 6), "weak_threshold": round(max(0.5, threshold), 6),
        "unknown_names_rule": unknown_rule,
        "fitted": {"on": f"{args.qa.name} calibration split", "n": int(len(y["calibration"])),
                   "answerable": int(y["calibration"].sum()), "C": args.c, "max_false_abstention": args.max_false,
                   "date": date.today().isoformat(), "command": "benchmarks/abstention/fit.py"},
    }
    args.model_out.write_text(json.dumps(model_json, indent=2) + "\n", encoding="utf-8")
    model = SupportModel.from_json(model_json)

    report: dict = {"model": model_json, "splits": {}}
    for split in ("calibration", "heldout"):
        chosen = [i for i in items if i["split"] == split]
        probs = {i["id"]: model.probability(np.array([by_id[i["id"]]["values"][f] for f in FEATURES]))
                 for i in chosen}
        if model.unknown_names_rule:  # the rule abstains whatever p says: scored as p = 0
            probs.update({i["id"]: 0.0 for i in chosen if by_id[i["id"]]["unknown_names"]})
        kinds: dict[str, dict] = {}
        for i in chosen:
            k = kinds.setdefault(("answerable " if i["gold"] else "unanswerable ") + i["kind"],
                                 {"n": 0, "old_abstained": 0, "model_abstained": 0})
            k["n"] += 1
            k["old_abstained"] += bool(by_id[i["id"]]["old_reason"])
            k["model_abstained"] += probs[i["id"]] < model.threshold
        a = [i for i in chosen if i["gold"]]
        u = [i for i in chosen if not i["gold"]]
        summary = {
            "answerable": len(a), "unanswerable": len(u),
            "old": {"abstention": sum(bool(by_id[i["id"]]["old_reason"]) for i in u) / len(u),
                    "false_abstention": sum(bool(by_id[i["id"]]["old_reason"]) for i in a) / len(a),
                    "hit_at_5": sum(by_id[i["id"]]["hit5"] and not by_id[i["id"]]["old_reason"] for i in a) / len(a)},
            "model": {"abstention": sum(probs[i["id"]] < model.threshold for i in u) / len(u),
                      "false_abstention": sum(probs[i["id"]] < model.threshold for i in a) / len(a),
                      "hit_at_5": sum(by_id[i["id"]]["hit5"] and probs[i["id"]] >= model.threshold
                                      for i in a) / len(a)},
            "retrieval_hit_at_5": sum(by_id[i["id"]]["hit5"] for i in a) / len(a),
            "per_kind": {k: {"n": v["n"], "old": v["old_abstained"] / v["n"], "model": v["model_abstained"] / v["n"]}
                         for k, v in sorted(kinds.items())},
        }
        scores = [probs[i["id"]] for i in chosen]
        labels = [bool(i["gold"]) for i in chosen]
        summary["calibration_bins"] = calibration_bins(scores, labels)
        summary["reliability"] = reliability_curve(scores, labels)
        report["splits"][split] = summary
        print(f"\n== {split}: {len(a)} answerable, {len(u)} unanswerable; threshold {model.threshold:.3f}")
        print(f"{'':34}{'n':>4}{'old rule':>10}{'model':>8}   (share abstained)")
        for k, v in summary["per_kind"].items():
            print(f"{k:34}{v['n']:>4}{v['old']:>10.2f}{v['model']:>8.2f}")
        for who in ("old", "model"):
            s = summary[who]
            print(f"{who:6} abstention on unanswerable {s['abstention']:.3f}  false abstention {s['false_abstention']:.3f}"
                  f"  hit@5 after abstention {s['hit_at_5']:.3f}")
        print(f"retrieval hit@5 (before abstention) {summary['retrieval_hit_at_5']:.3f}")
        if split == "heldout":
            print("calibration bins (predicted P(answerable) -> observed answerable share):")
            for b in summary["calibration_bins"]:
                print(f"  [{b['low']:.1f}, {b['high']:.1f})  n={b['n']:>3}  mean p={b['mean_p']:.2f}  "
                      f"observed={b['answerable_share']:.2f}")
            print("abstentions with their reasons (held-out, two per kind):")
            per_kind: dict[str, int] = {}
            for i in sorted(u, key=lambda i: (i["kind"], i["id"])):
                if probs[i["id"]] >= model.threshold or per_kind.get(i["kind"], 0) >= 2:
                    continue
                per_kind[i["kind"]] = per_kind.get(i["kind"], 0) + 1
                r = by_id[i["id"]]
                f = SupportFeatures(r["values"], r["missing_terms"], r["missing_names"], r["unknown_names"],
                                    r["missing_versions"], tuple(r["undocumented"]) if r["undocumented"] else None)
                x = np.array([r["values"][n] for n in FEATURES])
                reason = (f"the documents never mention {', '.join(r['unknown_names'][:3])}"
                          if model.unknown_names_rule and r["unknown_names"] and model.probability(x) >= model.threshold
                          else support_reason(f, dict(zip(FEATURES, model.contributions(x).tolist()))))
                print(f"  [{i['kind']}] {i['question']}\n      p={probs[i['id']]:.2f}: {reason}; closest: {r['closest'][0]}")
            print("unanswerable questions still answered (held-out):")
            for i in u:
                if probs[i["id"]] >= model.threshold:
                    print(f"  [{i['kind']}] {i['question']}  p={probs[i['id']]:.2f}")
            print("falsely abstained (held-out):", [i["question"] for i in a if probs[i["id"]] < model.threshold])
            print("answerable questions that still answer (held-out):")
            for i in [i for i in a if probs[i["id"]] >= model.threshold][::6][:8]:
                print(f"  [{i['kind']}] {i['question']}  p={probs[i['id']]:.2f} hit@5={by_id[i['id']]['hit5']}")
            plot_png(HERE / "reliability.png", title="Held-out: answered share vs accuracy (threshold sweep)",
                     series={"support model": [(c["answered_share"], c["accuracy"]) for c in summary["reliability"]]},
                     xlabel="answered share", ylabel="accuracy (answerable among answered)")
            plot_png(HERE / "calibration.png", title="Held-out: reliability diagram (10 bins)", diagonal=True,
                     series={"support model": [(b["mean_p"], b["answerable_share"])
                                               for b in summary["calibration_bins"]]},
                     xlabel="predicted P(answerable)", ylabel="observed answerable share")
    print("\ncoefficients (standardised features):")
    for name, c in sorted(zip(FEATURES, model.coef.tolist()), key=lambda t: -abs(t[1])):
        print(f"  {name:22} {c:+.3f}")
    (HERE / "report.json").write_text(json.dumps(report, indent=2, default=float) + "\n", encoding="utf-8")
    print(f"model: {args.model_out}; report: {HERE / 'report.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
