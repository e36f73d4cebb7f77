"""A canary run on the dev set: 240 questions (the 40 of ``../shared/dev-eval/qa.jsonl`` and five
templated rephrasings of each) asked by 240 users with a 50 % canary of ``smollm2-135m-v2``,
thumbs from the gold sources, then the comparison page in Chromium (screenshot under
test-artifacts/screenshots/canary-comparison.png).

Slow (one model call per answerable question, 8 at a time: about 30-60 minutes on 2 shared CPU cores) and needs the
Django docs corpus, so it runs only when asked::

    PERIMETER_CANARY_RUN=1 ./perimeter test tests/rollout/test_canary_run.py -q -s

Thumbs are simulated, and say so: up when a gold document of the question is among the
answer's citations (unanswerable: when it abstained), down otherwise.
"""
from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.e2e.conftest import SCREENSHOTS, Session, browser  # noqa: F401  (the Chromium fixture)

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.environ.get("PERIMETER_CANARY_RUN") != "1",
                                                   reason="set PERIMETER_CANARY_RUN=1 (about 20 minutes)")]

QA = Path(__file__).resolve().parents[3] / "shared" / "dev-eval" / "qa.jsonl"
CORPUS = Path(os.environ.get("PERIMETER_CORPUS", "/root/.cache/perimeter/corpus/django-docs"))
REPHRASINGS = ("{q}", "Could you tell me: {q}", "Quick question about Django. {q}", "{lower}",
               "I'd like to know the following. {q}", "Django docs: {q}")
DISTRACTORS = 60
CONCURRENCY = 8


def _questions() -> list[dict]:
    items = [json.loads(line) for line in QA.read_text().splitlines() if line.strip()]
    out = []
    for form in REPHRASINGS:
        for item in items:
            q = item["question"]
            out.append({**item, "question": form.format(q=q, lower=q[0].lower() + q[1:])})
    return out


@pytest.fixture
def corpus(transactional_db):
    from django.db import transaction

    from ingest.services import collection_get_or_create, document_process, document_register

    items = [json.loads(line) for line in QA.read_text().splitlines() if line.strip()]
    wanted = sorted({g for i in items for g in i["gold"]})
    others = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*.txt"))
    wanted += [p for p in others if p not in wanted][:DISTRACTORS]
    collection = collection_get_or_create(slug="default")
    for rel in wanted:
        with transaction.atomic():
            reg = document_register(collection=collection, source=rel, data=(CORPUS / rel).read_bytes())
            document_process(document_id=reg.document.pk)
    return wanted


def test_a_canary_of_240_questions_is_compared_on_the_admin_page(corpus, llm_server, live_server, browser,
                                                                 django_user_model, settings):
    from django.db import connection

    # CONCURRENCY askers in this one process, not a web server's: no admission or generation bound
    # (rag.llm.capacity) may refuse them
    settings.QUESTION_MAX_IN_FLIGHT_PER_PROCESS = 0
    settings.LLM_MAX_CONCURRENT_GENERATIONS = 0

    from rag.llm.rollout import rollout_start
    from rag.qa.feedback import feedback_give
    from rag.qa.services import question_answer

    admin = django_user_model.objects.create_superuser(username="boss", password="correct horse battery")
    rollout = rollout_start(candidate="smollm2-135m-v2", share_percent=50, actor=admin)
    users = [django_user_model.objects.create_user(username=f"u{n}", password="x" * 20)
             for n in range(len(_questions()))]

    def ask(n_item) -> str:
        # One asker per question, CONCURRENCY at a time (vLLM batches them); each thread its own connection.
        n, item = n_item
        try:
            answer = question_answer(user=users[n], question=item["question"], top_k=5, collection_ids=None)
            cited = {c["source"] for c in answer.citations}
            right = answer.abstained if not item["gold"] else bool(cited & set(item["gold"]))
            feedback_give(question_id=answer.question_id, user=users[n], rating="up" if right else "down")
            return answer.model["arm"]
        finally:
            connection.close()

    with ThreadPoolExecutor(CONCURRENCY) as pool:
        routed = list(pool.map(ask, enumerate(_questions())))
    arms = {arm: routed.count(arm) for arm in ("stable", "candidate")}
    print("routed", arms)
    assert sum(arms.values()) >= 200 and min(arms.values()) > 50

    s = Session(browser, live_server.url)
    s.login("boss")
    s.page.goto(f"/admin-console/models/?days=1&rollout={rollout.pk}")
    table = s.page.locator("#arm-comparison")
    counts = [int(c) for c in table.locator(".arm-count").all_inner_texts()]
    assert counts == [arms["stable"], arms["candidate"]]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    s.page.screenshot(path=str(SCREENSHOTS / "canary-comparison.png"), full_page=True)
    print(table.inner_text())
