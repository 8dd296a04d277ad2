"""Browser fixtures: one live server and one headless Chromium, the demo data loaded once.

pytest-django's `live_server` forces a flushed, reloaded database for every test (it pulls in
`transactional_db`), which would cost seconds per page. The browser suite instead keeps the demo
data committed for the whole `tests/browser` package and restores the session's demo state when the
package is done, so about a hundred page checks share one server, one browser and one set of data.
The pages are visited in fresh browser contexts (cookies, storage), never a fresh browser.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from pytest_django.live_server_helper import LiveServer

from cases.demo import DEMO_PASSWORD, demo_data_present, load_demo_data
from tests.conftest import _demo, need

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# No network on this machine and nothing may leave 127.0.0.1: switch off every phone-home.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def playwright_instance() -> Iterator[Playwright]:
    """Package scope: the switch below must not outlive the browser tests."""
    need(Path(CHROMIUM).exists(), f"needs Chromium at {CHROMIUM}: apt-get install -y chromium")
    # Playwright's sync API keeps an asyncio loop in this thread; Django's ORM would refuse to
    # run beside it. The ORM calls here are plain synchronous test set-up.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
            # Database connections opened beside Playwright's loop belong to this context;
            # close them here, or PostgreSQL cannot drop the test database at the end.
            connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    """One headless Chromium for the whole package; each test gets fresh contexts."""
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


def _restore_session_demo_state() -> None:
    """Leave the committed demo data exactly as the session set-up loaded it."""
    call_command("flush", interactive=False, verbosity=0)
    load_demo_data()


@pytest.fixture(autouse=True)
def _live_server_helper() -> None:
    """Replace pytest-django's helper here: it would flush and reload the data for every test."""


@pytest.fixture(scope="package")
def live_server(django_db_setup, django_db_blocker) -> Iterator[LiveServer]:
    """A live server on 127.0.0.1 over the committed demo data, one for the browser package.

    Named `live_server` so that pytest-django creates the test database for these tests.
    """
    with django_db_blocker.unblock():
        if not demo_data_present():
            load_demo_data()
        server = LiveServer("127.0.0.1")
        server._live_server_modified_settings.enable()
        try:
            yield server
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            _restore_session_demo_state()


@pytest.fixture(scope="package")
def site(live_server: LiveServer, django_db_blocker) -> Iterator[SimpleNamespace]:
    """The server's base URL and the demo world (personas, cases, organisations)."""
    with django_db_blocker.unblock():
        yield SimpleNamespace(base=live_server.url, demo=_demo())


def _session_cookie(user, base_url: str) -> dict:
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }


def _language_cookie(language: str, base_url: str) -> dict:
    return {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}


@pytest.fixture
def open_as(browser: Browser, site: SimpleNamespace) -> Iterator[Callable[..., Page]]:
    """`open_as(user_or_None, language="sv")` -> a fresh page logged in as that user."""
    contexts: list[BrowserContext] = []

    def _open(user=None, language: str = "sv") -> Page:
        context = browser.new_context(
            base_url=site.base,
            viewport=VIEWPORT,
            locale="sv-SE" if language == "sv" else "en-GB",
            extra_http_headers={"Accept-Language": language},
        )
        context.set_default_timeout(10_000)
        cookies = [_language_cookie(language, site.base)]
        if user is not None:
            cookies.append(_session_cookie(user, site.base))
        context.add_cookies(cookies)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def demo_password() -> str:
    return DEMO_PASSWORD
