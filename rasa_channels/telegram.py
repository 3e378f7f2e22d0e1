"""Telegram as a Rasa channel (name ``telegram``, webhook ``/webhooks/telegram/webhook``).

Settings come from the environment (``TELEGRAM_TOKEN``, ``TELEGRAM_WEBHOOK_SECRET``,
``TELEGRAM_API_URL``); nothing calls Telegram at start-up (``python -m bot channels register
telegram`` sets the webhook). Every call must carry the webhook secret in
``X-Telegram-Bot-Api-Secret-Token``. Rendering is :mod:`bot.channels.telegram`'s.

Registered in credentials.yml as::

    rasa_channels.telegram.TelegramInput:
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Any

from sanic.request import Request

from bot.channels import telegram
from bot.channels.calls import ApiCall, Button
from bot.channels.inbound import Inbound
from bot.channels.settings import TelegramSettings, site_url
from bot.channels.signatures import same_secret
from bot.messages import Card
from rasa_channels.messaging import MessagingInput, MessagingOutput, Refusal, post_json

logger = logging.getLogger(__name__)


class TelegramOutput(MessagingOutput):
    """Sends replies through the Bot API (``sendMessage``, ``sendPhoto``)."""

    settings: TelegramSettings

    @classmethod
    def name(cls) -> str:
        return telegram.CHANNEL

    async def send_call(self, call: ApiCall) -> None:
        answer = await post_json(self.settings.method_url(call["method"]), call["body"])
        if isinstance(answer, dict) and answer.get("ok") is False:
            raise RuntimeError(f"Telegram refused {call['method']}: {answer.get('description')}")

    def text_calls(self, to: str, text: str, buttons: Sequence[Button]) -> list[ApiCall]:
        return telegram.text_calls(to, text, buttons)

    def image_calls(self, to: str, image: str) -> list[ApiCall]:
        return [telegram.photo_call(to, image)]

    def card_calls(self, to: str, card: Card) -> list[ApiCall]:
        return telegram.card_calls(to, card, self.site)


class TelegramInput(MessagingInput):
    """Receives Telegram updates (``message`` and ``callback_query``)."""

    settings: TelegramSettings

    @classmethod
    def name(cls) -> str:
        return telegram.CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TelegramInput:
        return cls(TelegramSettings.from_env(os.environ))

    def get_output_channel(self) -> TelegramOutput | None:
        if not self.settings.configured:
            return None
        return TelegramOutput(self.settings, site_url(os.environ))

    def authenticate(self, request: Request) -> None:
        if not same_secret(
            self.settings.webhook_secret, request.headers.get(telegram.SECRET_HEADER)
        ):
            raise Refusal(401, f"missing or wrong {telegram.SECRET_HEADER}")

    def read(self, request: Request) -> list[Inbound]:
        update = request.json
        if not isinstance(update, dict):
            raise ValueError("a Telegram update is a JSON object")
        return telegram.parse_update(update)

    async def acknowledge(self, item: Inbound, output: MessagingOutput) -> None:
        if item.reply_handle:
            await output.send_call(telegram.answer_callback_call(item.reply_handle))
