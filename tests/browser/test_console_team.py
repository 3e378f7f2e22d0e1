"""The console for an admin: the queue by priority, a screenshot, and managing the team."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import update

from bot.appdata import get_app_engine, get_app_sessionmaker
from bot.handoff.agents import close_sessions_of
from bot.handoff.models import Conversation, Role, Status
from bot.handoff.queue import Reason
from devtools.console import PASSWORD, add_agent, queue_conversation
from tests.browser.conftest import screenshot_path
from tests.browser.console import Console

pytestmark = [pytest.mark.browser, pytest.mark.integration]


@pytest.fixture()
def admin_page(browser, app_database_url) -> Iterator[Page]:
    admin = add_agent(app_database_url, "rita.admin@fernhill.example", "Rita de Vries", Role.ADMIN)
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()
    with get_app_sessionmaker(get_app_engine(app_database_url))() as session, session.begin():
        close_sessions_of(session, admin)
        # The made-up conversations leave the queue the other tests' shoppers join.
        session.execute(
            update(Conversation)
            .where(Conversation.session_id.like("team-test-%"))
            .values(status=Status.RESOLVED.value)
        )


def test_admin_sees_the_queue_by_priority_and_adds_an_agent(admin_page, web_app, app_database_url):
    queue_conversation(app_database_url, "team-test-calm", Reason.ASKED, minutes_ago=12)
    queue_conversation(
        app_database_url, "team-test-upset", Reason.NEGATIVE_SENTIMENT, minutes_ago=2
    )
    console = Console(admin_page)
    console.sign_in(web_app.url, "rita.admin@fernhill.example", PASSWORD)
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
