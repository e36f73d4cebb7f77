"""Issue 10, attack 6: revoked access no longer reaches back.

Before: after a user lost the group that let them read a collection, their
history still showed the stored answer, snippets and sources, and escalating an
old question re-read its chunks without checking current access.
"""
from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from ingest.models import Chunk
from rag.access.models import CollectionAccess, CollectionRole
from rag.fallback.payload import UNREADABLE, payload_sources_select
from rag.qa.models import Question
from tests.factories import document_ingested

pytestmark = pytest.mark.django_db
SECRET_PLAN = "# Merger plan\n\nProject Heron acquires Lumen Ltd on 3 May. Code word: CORMORANT-11."
OPEN_NOTE = "# Canteen\n\nThe canteen serves lunch from 11:30 to 14:00."


@pytest.fixture
def board(user):
    """Collection ``board`` readable by group ``board`` (``user`` a member), plus the open ``default``."""
    plan = document_ingested(source="merger.md", text=SECRET_PLAN, collection_slug="board")
    group = Group.objects.create(name="board")
    user.groups.add(group)
    CollectionAccess.objects.get_or_create(collection=plan.collection)
    CollectionRole.objects.create(collection=plan.collection, group=group, role=CollectionRole.Role.READER)
    canteen = document_ingested(source="canteen.md", text=OPEN_NOTE)
    return plan, canteen, group


def asked(user, documents) -> Question:
    """A stored answer that cited every chunk of ``documents`` (as question_answer stores it)."""
    chunks = list(Chunk.objects.filter(document__in=documents).select_related("document").order_by("id"))
    return Question.objects.create(
        asked_by=user, text="When does Heron close, and when is lunch?", top_k=5, status="answered",
        answer="On 3 May (CORMORANT-11) [1]; lunch from 11:30 [2].", retrieved_chunk_ids=[c.id for c in chunks],
        citations=[{"document_id": c.document_id, "source": c.document.source, "heading": "", "page": None,
                    "chunk_id": c.id, "score": 0.7, "snippet": c.text[:300]} for c in chunks])


def test_history_shows_the_answer_while_the_user_may_read_its_sources(client, user, board):
    plan, canteen, _ = board
    question = asked(user, [plan, canteen])
    client.force_login(user)

    page = client.get(f"/history/{question.pk}/").content.decode()

    assert "CORMORANT-11" in page and "merger.md" in page


def test_a_revoked_users_history_hides_snippets_sources_and_answer(client, user, board):
    plan, canteen, group = board
    question = asked(user, [plan, canteen])
    user.groups.remove(group)
    client.force_login(user)

    detail = client.get(f"/history/{question.pk}/").content.decode()
    listing = client.get("/history/").content.decode()
    searched = client.get("/history/", {"q": "CORMORANT"}).content.decode()

    for page in (detail, listing):
        assert "CORMORANT-11" not in page and "merger.md" not in page and "Lumen" not in page
    assert "can no longer read" in detail
    assert "No questions match." in searched  # the hidden answer cannot be probed by search


def test_escalating_an_old_question_after_revocation_excludes_the_unreadable_chunks(user, board):
    plan, canteen, group = board
    question = asked(user, [plan, canteen])
    user.groups.remove(group)

    sources = payload_sources_select(question=question)

    assert {c.document_id for c in sources.chunks} == {canteen.pk}
    assert [d["document_id"] for d in sources.contributing] == [canteen.pk]
    (excluded,) = sources.excluded
    assert excluded["reason"] == UNREADABLE and excluded["document_id"] == plan.pk
    assert "merger" not in excluded["source"]  # its name is not shown to the asker either
