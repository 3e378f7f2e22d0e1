"""The insights dashboard in Chromium: an admin signs in on the console, opens Insights, sees the
hand-built conversations' figures and charts, groups the knowledge gaps, drafts an FAQ entry and
marks a cluster fixed, opens the transcript of the lowest-rated conversation, filters by channel
and downloads a CSV. A screenshot goes to test-artifacts/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from bot.appdata import get_app_engine
from bot.appdata.knowledge_gaps import add_knowledge_gap
from bot.handoff.models import Role
from bot.insights.refresh import update_insights
from bot.settings import PROJECT_ROOT
from bot.web.app import create_app
from devtools.console import PASSWORD, add_agent
from devtools.servers import free_port, serve_in_thread
from tests.browser.console import Console
from tests.unit.insights.conversations import (
    timeline,
    tracker_store,
    write_app_records,
    write_events,
)

pytestmark = [pytest.mark.browser, pytest.mark.integration]
ADMIN = "ines.admin@fernhill.example"
GAPS = [
    "How much does shipping to the Netherlands cost?",
    "What does delivery to the Netherlands cost?",
    "Do you sell gift cards?",
]
SCREENSHOT = PROJECT_ROOT / "test-artifacts" / "console-insights.png"


@pytest.fixture()
def insights_app(tmp_path: Path) -> Iterator[str]:
    """A web app (no Rasa behind it) over an app database and a tracker store holding the
    hand-built conversations; yields its base URL."""
    app_url = f"sqlite:///{tmp_path / 'app.db'}"
    tracker = tracker_store(f"sqlite:///{tmp_path / 'tracker.db'}")
    write_events(tracker, timeline())
    update_insights(get_app_engine(app_url), tracker)
    write_app_records(app_url)
    with Session(get_app_engine(app_url)) as session, session.begin():
        for question in GAPS:
            add_knowledge_gap(session, question, channel="socketio")
    add_agent(app_url, ADMIN, "Ines Bakker", Role.ADMIN)
    app = create_app(f"http://127.0.0.1:{free_port()}", app_url)
    app.state.insights.tracker_url = str(tracker.url)
    with serve_in_thread(app, "/console/insights") as base:
        yield base


@pytest.fixture()
def admin_page(browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 1500}, accept_downloads=True)
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def test_admin_reads_the_dashboard(admin_page: Page, insights_app: str) -> None:
    page = admin_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    console = Console(page)
    console.sign_in(insights_app, ADMIN, PASSWORD)
    console.button("Insights").click()
    expect(page).to_have_url(f"{insights_app}/console/insights")
    expect(page.locator("body[data-loaded=true]")).to_be_attached()

    tiles = page.get_by_role("region", name="Totals")
    expect(tiles.locator(".tile").filter(has_text="Conversations").locator("strong")).to_have_text(
        "3"
    )
    expect(tiles.locator(".tile").filter(has_text="Containment").locator("strong")).to_have_text(
        "66.7%"
    )
    expect(tiles.locator(".tile").filter(has_text="CSAT").locator("strong")).to_have_text("3 ★ (2)")
    # Chart.js drew on every canvas (a drawn canvas is no longer blank).
    for canvas in page.locator("canvas").all():
        assert canvas.evaluate(
            "c => c.toDataURL() !== Object.assign(document.createElement('canvas'),"
            " {width: c.width, height: c.height}).toDataURL()"
        )
    gaps = page.get_by_role("region", name="Knowledge gaps to fix")
    gaps.get_by_role("button", name="Group new questions").click()
    # The first grouping loads MiniLM and the index in the web app.
    expect(gaps.get_by_text("3 new questions grouped.")).to_be_visible(timeout=90_000)
    clusters = gaps.locator(".gap")
    expect(clusters).to_have_count(2)
    expect(clusters.first).to_contain_text("2 asked")
    clusters.first.get_by_role("button", name="Draft an FAQ entry").click()
    expect(clusters.first.get_by_label("Answer")).to_have_value(re.compile("€3.95"), timeout=30_000)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    clusters.first.get_by_role("button", name="Mark fixed").click()
    expect(clusters).to_have_count(1)
    expect(clusters.first).to_contain_text("Do you sell gift cards?")

    lowest = page.locator("#lowest tr")
    expect(lowest).to_have_count(2)
    expect(lowest.first).to_contain_text("slow")
    lowest.first.get_by_role("link", name="Transcript").click()
    dialog = page.get_by_role("dialog", name="Transcript · bob")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".line").first).to_contain_text("asdf qwerty")
    dialog.get_by_role("button", name="Close").click()

    page.get_by_label("Channel").select_option("telegram")
    page.get_by_role("button", name="Show").click()
    expect(tiles.locator(".tile").filter(has_text="Conversations").locator("strong")).to_have_text(
        "1"
    )
    expect(tiles.locator(".tile").filter(has_text="Containment").locator("strong")).to_have_text(
        "0.0%"
    )

    with page.expect_download() as download:
        page.locator("#exports li").filter(has_text="top intents").get_by_role(
            "link", name="CSV"
        ).click()
    saved = Path(download.value.path()).read_text()
    assert saved.splitlines()[0] == "term,count" and "complaint,1" in saved
    assert errors == []
