"""WhatsApp Business Cloud API as a Rasa channel (name ``whatsapp``, webhook
``/webhooks/whatsapp/webhook``).

Settings come from the environment (``WHATSAPP_TOKEN``, ``WHATSAPP_PHONE_NUMBER_ID``,
``WHATSAPP_APP_SECRET``, ``WHATSAPP_VERIFY_TOKEN``, ``WHATSAPP_API_URL``). Meta verifies the webhook
with a ``GET`` (``hub.*`` parameters); every delivery must be signed with the app secret
(``X-Hub-Signature-256``). Rendering is :mod:`bot.channels.whatsapp`'s.

Registered in credentials.yml as::

    rasa_channels.whatsapp.WhatsAppInput:
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Any

from sanic.request import Request

from bot.channels import whatsapp
from bot.channels.calls import ApiCall, Button
from bot.channels.inbound import Inbound
from bot.channels.settings import WhatsAppSettings, site_url
from bot.messages import Card
from rasa_channels.messaging import ChannelSendError, MessagingOutput, post_json
from rasa_channels.meta_webhook import MetaWebhookInput

logger = logging.getLogger(__name__)


class ServiceWindowClosed(ChannelSendError):
    """WhatsApp refused a free-form message: the shopper wrote last more than 24 hours ago, so
    only an approved template message may be sent."""


class WhatsAppOutput(MessagingOutput):
    """Sends replies with ``POST {api}/{phone_number_id}/messages``."""

    settings: WhatsAppSettings

    @classmethod
    def name(cls) -> str:
        return whatsapp.CHANNEL

    async def send_call(self, call: ApiCall) -> None:
        headers = {"Authorization": f"Bearer {self.settings.token}"}
        try:
            await post_json(self.settings.messages_url, call["body"], headers)
        except ChannelSendError as error:
            if isinstance(error.answer, dict) and whatsapp.window_closed(error.answer):
                raise ServiceWindowClosed(
                    "WhatsApp's 24-hour customer-service window is closed for "
                    f"{call['body']['to']}: only a template message can be sent now",
                    error.status,
                    error.answer,
                ) from error
            raise

    def text_calls(self, to: str, text: str, buttons: Sequence[Button]) -> list[ApiCall]:
        return whatsapp.text_calls(to, text, buttons)

    def image_calls(self, to: str, image: str) -> list[ApiCall]:
        return [whatsapp.image_call(to, image)]

    def card_calls(self, to: str, card: Card) -> list[ApiCall]:
        return whatsapp.card_calls(to, card, self.site)


class WhatsAppInput(MetaWebhookInput):
    """Receives WhatsApp Cloud API webhook deliveries (``messages`` changes)."""

    settings: WhatsAppSettings

    @classmethod
    def name(cls) -> str:
        return whatsapp.CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WhatsAppInput:
        return cls(WhatsAppSettings.from_env(os.environ))

    def get_output_channel(self) -> WhatsAppOutput | None:
        if not self.settings.configured:
            return None
        return WhatsAppOutput(self.settings, site_url(os.environ))

    def read(self, request: Request) -> list[Inbound]:
        payload = request.json
        if not isinstance(payload, dict):
            raise ValueError("a WhatsApp delivery is a JSON object")
        return whatsapp.parse_delivery(payload)
