"""Facebook Messenger and Instagram messaging as one Rasa channel (name ``messenger``, webhook
``/webhooks/messenger/webhook``).

Settings come from the environment (``MESSENGER_PAGE_TOKEN``, ``MESSENGER_APP_SECRET``,
``MESSENGER_VERIFY_TOKEN``, ``MESSENGER_API_URL``). Meta verifies the webhook with a ``GET``;
every delivery must be signed with the app secret. Replies go through the Send API with the
page's token. Rendering is :mod:`bot.channels.messenger`'s.

Registered in credentials.yml as::

    rasa_channels.messenger.MessengerInput:
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from sanic.request import Request

from bot.channels import messenger
from bot.channels.calls import ApiCall, Button
from bot.channels.inbound import Inbound
from bot.channels.settings import MessengerSettings, site_url
from bot.messages import Card
from rasa_channels.messaging import MessagingOutput, post_json
from rasa_channels.meta_webhook import MetaWebhookInput

logger = logging.getLogger(__name__)


class MessengerOutput(MessagingOutput):
    """Sends replies with the Send API (``POST {api}/me/messages``)."""

    settings: MessengerSettings

    @classmethod
    def name(cls) -> str:
        return messenger.CHANNEL

    async def send_call(self, call: ApiCall) -> None:
        url = f"{self.settings.send_url}?access_token={quote(self.settings.page_token)}"
        await post_json(url, call["body"])

    def text_calls(self, to: str, text: str, buttons: Sequence[Button]) -> list[ApiCall]:
        return messenger.text_calls(to, text, buttons)

    def image_calls(self, to: str, image: str) -> list[ApiCall]:
        return [messenger.image_call(to, image)]

    def card_calls(self, to: str, card: Card) -> list[ApiCall]:
        return messenger.card_calls(to, card, self.site)


class MessengerInput(MetaWebhookInput):
    """Receives Messenger and Instagram deliveries (``object`` ``page`` or ``instagram``)."""

    settings: MessengerSettings

    @classmethod
    def name(cls) -> str:
        return messenger.CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> MessengerInput:
        return cls(MessengerSettings.from_env(os.environ))

    def get_output_channel(self) -> MessengerOutput | None:
        if not self.settings.configured:
            return None
        return MessengerOutput(self.settings, site_url(os.environ))

    def read(self, request: Request) -> list[Inbound]:
        payload = request.json
        if not isinstance(payload, dict):
            raise ValueError("a Messenger delivery is a JSON object")
        return messenger.parse_delivery(payload)
