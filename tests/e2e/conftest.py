"""Browser fixtures: Playwright (sync API) driving Debian's Chromium against ``live_server``.

Playwright never downloads a browser here: it launches /usr/bin/chromium
(``apt-get install chromium``, done by .ci/run) with background networking off,
since this machine's closed network refuses Chromium's calls home.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

# The proprietary-API stand-in and its settings: imported (not copied) so that the one
# server starts once and its URLs reach the Celery worker's environment.
from tests.fallback.conftest import standin, standin_settings  # noqa: F401

# live_server runs in a thread of this process, and Playwright's sync API runs an event
# loop in it, which makes Django's ORM refuse sync calls from the test body without this.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("PERIMETER_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "narrow": {"width": 390, "height": 844}}
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        # A persistent context is Playwright's way to give Chromium a fresh --user-data-dir;
        # plain launch() makes its own temporary profile, which is just as fresh.
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        yield browser
        browser.close()


class Session:
    """One person's browser context: a page that records JavaScript errors, and screenshots."""

    def __init__(self, browser, base_url: str):
        self.context = browser.new_context(viewport=VIEWPORTS["desktop"], base_url=base_url, accept_downloads=True)
        self.page = self.context.new_page()
        self.js_errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.js_errors.append(str(exc)))
        self.page.on("console", lambda msg: msg.type == "error" and "Failed to load resource" not in msg.text
                     and self.js_errors.append(msg.text))

    def login(self, username: str, password: str = PASSWORD) -> None:
        self.page.goto("/accounts/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(lambda url: "/accounts/login/" not in url)

    def screenshot(self, name: str) -> None:
        """The current page, full length, at desktop and narrow widths."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for label, size in VIEWPORTS.items():
            self.page.set_viewport_size(size)
            self.page.screenshot(path=SCREENSHOTS / f"{name}-{label}.png", full_page=True)
            # Narrow screens never scroll sideways (wide tables scroll inside their own box).
            overflow = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} is {overflow}px wider than a {label} screen"
        self.page.set_viewport_size(VIEWPORTS["desktop"])


@pytest.fixture
def open_session(browser, live_server):
    """``open_session()`` → a new browser context on the live server (closed after the test)."""
    sessions: list[Session] = []

    def make() -> Session:
        sessions.append(Session(browser, live_server.url))
        return sessions[-1]

    yield make
    for s in sessions:
        s.context.close()
