"""Product copy in Chromium: an admin signs in on the console, opens Product copy, finds a product,
writes a draft (composed from the catalogue data: the generator is off here), adds a claim the data
does not hold, checks again and sees it highlighted with the reason, saves it as a version and
sees the history. A screenshot goes to var/screenshots/console-copy.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from bot.commerce.catalogue import load_catalogue
from bot.handoff.models import Role
from bot.insights.copy import CopyDesk, CopyModel
from bot.insights.copy_sources import LexicalPolicies
from bot.settings import PROJECT_ROOT
from bot.web.app import create_app
from devtools.console import PASSWORD, add_agent
from devtools.servers import free_port, serve_in_thread
from tests.browser.conftest import screenshot_path
from tests.browser.console import Console

pytestmark = [pytest.mark.browser, pytest.mark.integration]
ADMIN = "ines.admin@fernhill.example"
KNOWLEDGE = PROJECT_ROOT / "knowledge_base"


@pytest.fixture()
def copy_app(tmp_path: Path) -> Iterator[str]:
    """A web app (no Rasa behind it) whose drafts are composed from the catalogue data and whose
    policies come from BM25 over the knowledge folder; yields its base URL."""
    app_url = f"sqlite:///{tmp_path / 'app.db'}"
    add_agent(app_url, ADMIN, "Ines Bakker", Role.ADMIN)
    app = create_app(f"http://127.0.0.1:{free_port()}", app_url)
    app.state.copy_desk = CopyDesk(
        load_catalogue(KNOWLEDGE / "products.json"),
        LexicalPolicies.from_folder(KNOWLEDGE),
        CopyModel(None),
    )
    with serve_in_thread(app, "/console/copy") as base:
        yield base


def test_admin_writes_checks_edits_and_saves_copy(browser, copy_app: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 1400})
    context.set_default_timeout(20_000)
    page: Page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    console = Console(page)
    console.sign_in(copy_app, ADMIN, PASSWORD)
    console.button("Product copy").click()
    expect(page).to_have_url(f"{copy_app}/console/copy")
    expect(page.locator("body[data-loaded=true]")).to_be_attached()

    page.get_by_label("Find products").fill("organiser pouch")
    page.get_by_role("button", name="Add Knot Tech Organiser Pouch").click()
    expect(page.get_by_role("list", name="Chosen products")).to_contain_text("FH-EA-0024")
    page.get_by_label("Purpose").select_option("product_page")
    page.get_by_label("Audience").fill("frequent travellers")
    page.get_by_role("button", name="Write draft").click()

    draft = page.get_by_role("region", name="Draft 1 · product page · variant A")
    expect(draft).to_be_visible()
    expect(draft.locator("#draft-note")).to_contain_text("Composed from the catalogue data")
    expect(draft.locator(".claim.supported").first).to_be_visible()
    expect(draft.locator("mark.claim.unsupported")).to_have_count(0)

    text = page.get_by_label("Draft text")
    text.fill(f"{text.input_value()} The pouch is fully waterproof.")
    draft.get_by_role("button", name="Check again").click()
    flagged = draft.locator("mark.claim.unsupported")
    expect(flagged).to_have_count(1)
    expect(flagged).to_have_text("The pouch is fully waterproof.")
    assert "waterproof" in (flagged.get_attribute("title") or "")
    expect(draft.locator("#verdict")).to_contain_text("1 of")

    draft.get_by_role("button", name="Save version").click()
    history = page.get_by_role("region", name="Version history").locator("li")
    expect(history).to_have_count(2)
    expect(history.first).to_contain_text("Version 2")
    expect(history.first).to_contain_text("1 flagged")
    expect(history.first.locator(".why")).to_contain_text("The pouch is fully waterproof.")
    expect(history.last).to_contain_text("composed")
    expect(page.get_by_role("region", name="Recent drafts").locator("li")).to_have_count(1)
    page.screenshot(path=str(screenshot_path("console-copy.png")), full_page=True)
    assert errors == []
    context.close()
