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
from bot.channels.ids import platform_id
from bot.channels.inbound import Inbound
from bot.channels.settings import WhatsAppSettings, site_url
from bot.messages import read_card
from rasa_channels.messaging import ChannelSendError, MessagingOutput, post_json
from rasa_channels.meta_webhook import MetaWebhookInput

logger = logging.getLogger(__name__)


class ServiceWindowClosed(ChannelSendError):
    """WhatsApp refused a free-form message: the shopper wrote last more than 24 hours ago, so
    only an approved template message may be sent."""


class WhatsAppOutput(MessagingOutput):
    """Sends replies with ``POST {api}/{phone_number_id}/messages``."""

    @classmethod
    def name(cls) -> str:
        return whatsapp.CHANNEL

    def __init__(self, settings: WhatsAppSettings, site: str) -> None:
        self.settings = settings
        self.site = site

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

    @staticmethod
    def _to(recipient_id: str) -> str:
        return platform_id(whatsapp.CHANNEL, recipient_id)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_calls(whatsapp.text_calls(self._to(recipient_id), text))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: Sequence[Button], **kwargs: Any
    ) -> None:
        await self.send_calls(whatsapp.text_calls(self._to(recipient_id), text, buttons))

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.send_call(whatsapp.image_call(self._to(recipient_id), image))

    async def send_attachment(self, recipient_id: str, attachment: Any, **kwargs: Any) -> None:
        await self.send_text_message(recipient_id, str(attachment))

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        card = read_card(json_message)
        if card is None:
            logger.warning("WhatsApp: skipped a custom message that is no card: %s", json_message)
            return
        await self.send_calls(whatsapp.card_calls(self._to(recipient_id), card, self.site))


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
