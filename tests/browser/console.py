"""The agents' console as the tests see it: by roles and labels."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect


@dataclass
class Console:
    """The console on one page."""

    page: Page

    def sign_in(self, base_url: str, email: str, password: str) -> None:
        self.page.goto(f"{base_url}/console")
        form = self.page.get_by_role("form", name="Sign in")
        form.get_by_label("E-mail").fill(email)
        form.get_by_label("Password").fill(password)
        form.get_by_role("button", name="Sign in").click()
        expect(self.page.get_by_role("navigation", name="Conversations")).to_be_visible()
        expect(self.page.locator("#live.on")).to_be_visible()

    @property
    def queue(self) -> Locator:
        return self.page.get_by_role("navigation", name="Conversations").locator(".item")

    @property
    def transcript(self) -> Locator:
        return self.page.get_by_role("log", name="Transcript")

    @property
    def reply(self) -> Locator:
        return self.page.get_by_label("Reply to the shopper")

    def button(self, name: str) -> Locator:
        return self.page.get_by_role("button", name=name, exact=True)

    def sign_out(self) -> None:
        self.button("Sign out").click()
        expect(self.page.get_by_role("heading", name="Sign in")).to_be_visible()
