"""A two-turn conversation on the ask page in Chromium: the follow-up's rewrite is shown, each turn
cites, the first turn moves up, thumbs are recorded, and history groups the turns."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rag.qa.models import Feedback, Question
from tests.factories import document_ingested

pytestmark = pytest.mark.django_db(transaction=True)
STREAM_TIMEOUT_MS = 240_000
CSRF_DOC = ("# CSRF cookie\n\nThe CSRF_COOKIE_AGE setting is the age of the CSRF cookie in seconds. "
            "Its default is 31449600, about one year.")


def test_a_follow_up_on_the_ask_page_is_rewritten_answered_and_rated(open_session, user, llm_server):
    document_ingested(source="security/csrf.md", text=CSRF_DOC)
    session = open_session()
    session.login("employee")
    page = session.page
    page.goto("/")
    page.get_by_label("Question").fill("What is CSRF_COOKIE_AGE?")
    page.get_by_label("Question").press("Control+Enter")
    expect(page.locator("#feedback")).to_be_visible(timeout=STREAM_TIMEOUT_MS)
    expect(page.locator("#rewrite")).to_be_hidden()

    page.get_by_label("Question").fill("And what is its default value?")
    page.get_by_role("button", name="Ask", exact=True).click()
    expect(page.locator("#turn-list li")).to_have_count(1)
    expect(page.locator("#turn-list li")).to_contain_text("What is CSRF_COOKIE_AGE?")
    expect(page.locator("#feedback")).to_be_hidden()  # until the follow-up's answer is done
    expect(page.locator("#rewrite-text")).to_contain_text("CSRF_COOKIE_AGE", timeout=STREAM_TIMEOUT_MS)
    expect(page.locator("#feedback")).to_be_visible()
    expect(page.locator("#citations li").first).to_contain_text("security/csrf.md")
    page.get_by_role("button", name="Thumbs up").click()
    expect(page.locator("#feedback-status")).to_contain_text(re.compile("recorded"))
    session.screenshot("ask-conversation")

    first, second = Question.objects.order_by("created_at")
    assert first.conversation_id == second.conversation_id is not None
    assert "CSRF_COOKIE_AGE" in second.standalone_question
    assert Feedback.objects.get().question == second
    assert not session.js_errors
