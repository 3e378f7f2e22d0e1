"""The chat widget as the tests see it: by roles and labels, the way a shopper (or a screen
reader) finds things."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect

ANSWER_TIMEOUT_MS = 30_000


@dataclass
class Widget:
    """The widget on one page."""

    page: Page

    @property
    def launcher(self) -> Locator:
        return self.page.locator("#fernhill-chat .fc-launcher")

    @property
    def panel(self) -> Locator:
        return self.page.get_by_role("dialog", name="Fernhill Goods help")

    @property
    def log(self) -> Locator:
        return self.page.get_by_role("log", name="Conversation")

    @property
    def input(self) -> Locator:
        return self.page.get_by_label("Type your message")

    @property
    def banner(self) -> Locator:
        return self.page.locator("#fernhill-chat .fc-banner")

    def open(self) -> None:
        """Opens the panel and waits until the assistant is connected."""
        self.page.get_by_role("button", name="Open the chat").click()
        expect(self.panel).to_be_visible()
        self.wait_connected()

    def wait_connected(self) -> None:
        expect(self.panel).to_have_attribute("data-connection", "online", timeout=ANSWER_TIMEOUT_MS)

    def say(self, text: str) -> None:
        """Types a message and presses Enter."""
        self.input.fill(text)
        self.input.press("Enter")

    def expect_answer(self, text: str) -> None:
        """Waits until an assistant message contains ``text``."""
        expect(self.log.locator(".fc-bot").filter(has_text=text).last).to_be_visible(
            timeout=ANSWER_TIMEOUT_MS
        )

    def user_messages(self, text: str) -> Locator:
        return self.log.locator(".fc-user .fc-text").filter(has_text=text)

    def expect_sent(self, text: str) -> None:
        """Waits until the shopper's message ``text`` is acknowledged by Rasa."""
        message = self.log.locator(".fc-user").filter(has_text=text).last
        expect(message.locator(".fc-delivery")).to_have_text("", timeout=ANSWER_TIMEOUT_MS)

    def session_id(self) -> str:
        return self.page.evaluate("window.fernhillChatWidget.sessionId()")
