"""The console for an admin: the queue by priority, a screenshot, and managing the team."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from bot.handoff.models import Role
from bot.handoff.queue import Reason
from devtools.console import PASSWORD, add_agent, queue_conversation
from devtools.servers import Server, start_web_app
from tests.browser.conftest import screenshot_path
from tests.browser.console import Console

pytestmark = [pytest.mark.browser, pytest.mark.integration]


@pytest.fixture()
def team_database(tmp_path) -> str:
    """An app database of the test's own: the team and the queue hold only what it adds."""
    return f"sqlite:///{tmp_path / 'app.db'}"


@pytest.fixture()
def team_app(tmp_path, rasa_server, team_database) -> Iterator[Server]:
    """The real web app on the test's own app database."""
    server = start_web_app(tmp_path, rasa_server.url, team_database)
    yield server
    server.stop()


@pytest.fixture()
def admin_page(browser, team_database) -> Iterator[Page]:
    add_agent(team_database, "rita.admin@fernhill.example", "Rita de Vries", Role.ADMIN)
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def test_admin_sees_the_queue_by_priority_and_adds_an_agent(admin_page, team_app, team_database):
    queue_conversation(team_database, "team-test-calm", Reason.ASKED, minutes_ago=12)
    queue_conversation(team_database, "team-test-upset", Reason.NEGATIVE_SENTIMENT, minutes_ago=2)
    console = Console(admin_page)
    console.sign_in(team_app.url, "rita.admin@fernhill.example", PASSWORD)
    items = console.queue.filter(has_text="team-test")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("Upset shopper")
    expect(items.first.locator(".badge")).to_have_text("urgent")
    admin_page.screenshot(path=str(screenshot_path("console-queue.png")))

    console.button("Team").click()
    dialog = admin_page.get_by_role("dialog", name="Team")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Name").fill("Bo Jansen")
    dialog.get_by_label("E-mail").fill("rita.admin@fernhill.example")
    dialog.get_by_label("Password (12+ characters)").fill("a long enough password")
    dialog.get_by_role("button", name="Add agent").click()
    expect(dialog.get_by_role("alert")).to_contain_text("already exists")
    dialog.get_by_label("E-mail").fill("bo.jansen@fernhill.example")
    dialog.get_by_role("button", name="Add agent").click()
    # Hashing the new password (argon2id) takes a while on a busy machine.
    expect(dialog.locator("#team-list")).to_contain_text(
        "bo.jansen@fernhill.example", timeout=20_000
    )
    admin_page.screenshot(path=str(screenshot_path("console-team.png")))
    admin_page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
