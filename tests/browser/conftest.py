"""A real Chromium, driven through Playwright's sync API, against the test `app` served live.

The server runs the very `app` object of tests/conftest.py (same database), so data made
with tests/factories.py is what the browser sees once committed. Each request is handled in
a server thread with its own app context and database session, as in production.

Fixture names avoid pytest-playwright's (`playwright`, `browser`, `context`, `base_url`)
so these tests neither need that plugin nor clash with it when it is installed; `page` is
ours and, being in a conftest, wins over a plugin's.
"""

import os
import shutil

import pytest
from playwright.sync_api import expect, sync_playwright

from fdac.extensions import db
from tests import factories
from tests.auth import second_step

CHROMIUM = os.environ.get("FDAC_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 10_000  # a page of this app renders in milliseconds; fail fast, not after 30 s

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the session: Debian's, never a downloaded one."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        # A fail, not a skip: `make test` installs Chromium, so its absence is a broken setup.
        pytest.fail(f"no Chromium at {CHROMIUM}: run scripts/ensure-packages.sh")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser context (no cookies) per test, with relative URLs on the live server."""
    context = chromium.new_context(base_url=live_server, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    # Nothing but the app: a page asking for anything off the live server fails, not waits.
    context.route(lambda url: not url.startswith(live_server + "/"), lambda route: route.abort())
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def sign_in(page):
    """sign_in(user): sign in through the real sign-in page, as a person would."""

    def _sign_in(user, password=factories.PASSWORD):
        email = user.email  # read before commit() expires it
        db.session.commit()  # let the server's own sessions see everything made so far
        page.goto("/sign-in")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password", exact=True).fill(password)
        second_step.ready(email)  # the user's app holds the test secret (tests/auth/second_step.py)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_label("Code from your authenticator app").fill(second_step.next_code(email))
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_text("Signed in as")).to_be_visible()
        return page

    return _sign_in
