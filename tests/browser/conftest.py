"""Browser tests: Debian's Chromium (headless, through Playwright) against the real web app, Rasa
server and action server. A failing test leaves a screenshot in var/test-artifacts/."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from devtools.servers import ROOT, Server, start_web_app

ARTIFACTS = ROOT / "var" / "test-artifacts"
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
Inject = Callable[[str, dict[str, Any]], None]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Keeps each phase's report on the test item, so fixtures can see whether it failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def web_app(
    tmp_path_factory: pytest.TempPathFactory,
    rasa_server: Server,
    app_database_url: str,
    rasa_token: str,
    shop_database_url: str,
    other_site: Callable[[str], str],
) -> Iterator[Server]:
    # The app database (tests/conftest.py) is the one the action server queues handoffs in;
    # the other site is a shop page on another origin that embeds the widget (a shop origin).
    console = {
        "FERNHILL_RASA_TOKEN": rasa_token,
        "FERNHILL_DATABASE_URL": shop_database_url,
        "FERNHILL_ALLOWED_ORIGINS": other_site("").rstrip("/"),
    }
    server = start_web_app(
        tmp_path_factory.mktemp("web"), rasa_server.url, app_database_url, extra_env=console
    )
    yield server
    server.stop()


# Playwright's sync API marks an asyncio loop as running between its calls, which breaks the
# async tests that run later: the driver lives only while this package's tests run.
@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Debian's chromium is not installed: run `bash scripts/setup.sh --browser`")
    launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture()
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile (empty localStorage: a new shopper) per test."""
    fresh = browser.new_context(viewport=DESKTOP)
    fresh.set_default_timeout(20_000)
    yield fresh
    fresh.close()


@pytest.fixture()
def page(context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page of a fresh profile; its dialogs (alert()) are recorded, never accepted silently."""
    opened = context.new_page()
    opened.dialogs = []  # type: ignore[attr-defined]
    opened.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))
    yield opened
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for number, each in enumerate(context.pages):
            path = ARTIFACTS / f"{request.node.name}-{number}.png"
            each.screenshot(path=str(path), full_page=False)


@pytest.fixture()
def inject(rasa_server: Server, rasa_token: str) -> Inject:
    """Appends an event to a conversation through Rasa's HTTP API and sends it to the shopper's
    latest channel (how agents' messages and notices reach the widget)."""

    def send(session_id: str, event: dict[str, Any]) -> None:
        answer = requests.post(
            f"{rasa_server.url}/conversations/{session_id}/tracker/events",
            params={
                "output_channel": "latest",
                "execute_side_effects": "true",
                "token": rasa_token,
            },
            json=event,
            timeout=30,
        )
        assert answer.status_code == 200, answer.text

    return send


@pytest.fixture()
def tracker(rasa_server: Server, rasa_token: str) -> Callable[[str], dict[str, Any]]:
    """Reads a conversation's tracker from Rasa."""

    def read(session_id: str) -> dict[str, Any]:
        answer = requests.get(
            f"{rasa_server.url}/conversations/{session_id}/tracker",
            params={"token": rasa_token},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    return read


@pytest.fixture(scope="session")
def other_site() -> Iterator[Callable[[str], str]]:
    """Serves one HTML page from another origin (http://localhost:PORT/, a real loopback server:
    Chromium refuses public pages that load from 127.0.0.1); ``serve(html)`` returns its URL.
    The web app lists this origin as a shop origin (FERNHILL_ALLOWED_ORIGINS)."""
    pages: list[bytes] = []

    class OnePage(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(pages[-1])

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), OnePage)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def serve(html: str) -> str:
        pages.append(html.encode())
        return f"http://localhost:{server.server_address[1]}/"

    yield serve
    server.shutdown()
    server.server_close()


def screenshot_path(name: str) -> Path:
    """Where a deliberate screenshot goes (var/screenshots/, git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / name
