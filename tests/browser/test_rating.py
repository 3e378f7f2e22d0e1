"""The end-of-conversation rating is stored with the conversation in the app database."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.appdata import ConversationRating, get_app_engine
from tests.browser.widget import Widget

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def test_rate_the_conversation_and_find_the_rating_stored(page, web_app, app_database_url):
    page.goto(web_app.url)
    widget = Widget(page)
    widget.open()
    widget.say("hello")
    widget.expect_sent("hello")
    session_id = widget.session_id()
    page.get_by_role("button", name="End chat").click()
    expect(page.get_by_role("group", name="How did we do?")).to_be_visible()
    page.get_by_role("button", name="Send rating").click()
    expect(page.get_by_role("alert")).to_have_text("Please choose 1 to 5 stars.")
    page.get_by_title("4 stars").click()
    expect(page.get_by_role("radio", name="4 stars")).to_be_checked()
    page.get_by_label("Anything you'd like to add? (optional)").fill("Quick and friendly <b>!</b>")
    page.get_by_role("button", name="Send rating").click()
    expect(page.get_by_text("Thank you for your feedback!")).to_be_visible()

    with Session(get_app_engine(app_database_url)) as db:
        rows = db.scalars(
            select(ConversationRating).where(ConversationRating.session_id == session_id)
        ).all()
        assert [(r.stars, r.comment) for r in rows] == [(4, "Quick and friendly <b>!</b>")]

    page.get_by_role("button", name="Start a new chat").click()
    expect(widget.input).to_be_focused()
    assert widget.session_id() != session_id
    expect(widget.log.locator(".fc-user")).to_have_count(0)
