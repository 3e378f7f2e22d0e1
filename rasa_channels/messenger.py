"""Facebook Messenger and Instagram messaging as one Rasa channel (name ``messenger``, webhook
``/webhooks/messenger/webhook``).

Settings come from the environment (``MESSENGER_PAGE_TOKEN``, ``MESSENGER_APP_SECRET``,
``MESSENGER_VERIFY_TOKEN``, ``MESSENGER_API_URL``). Meta verifies the webhook with a ``GET``;
every delivery must be signed with the app secret. Replies go through the Send API with the
page's token; an agent's reply marked with a ``message_tag`` (``HUMAN_AGENT``) is sent as a tagged
message. The shopper's display name comes from the Graph API's profile, asked once per shopper.
Rendering is :mod:`bot.channels.messenger`'s.

Registered in credentials.yml as::

    rasa_channels.messenger.MessengerInput:
"""

from __future__ import annotations

import logging
import os
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import quote

from sanic.request import Request

from bot.channels import messenger
from bot.channels.calls import ApiCall, Button
from bot.channels.ids import platform_id
from bot.channels.inbound import Inbound
from bot.channels.settings import MessengerSettings, site_url
from bot.messages import Card
from rasa_channels.messaging import MessagingOutput, get_json, post_json
from rasa_channels.meta_webhook import MetaWebhookInput

logger = logging.getLogger(__name__)

# the profile call holds up the shopper's first message: give up soon
PROFILE_TIMEOUT_SECONDS = 3.0


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

    def for_message(self, calls: list[ApiCall], message: Mapping[str, Any]) -> list[ApiCall]:
        # the agents' console tags a reply sent 24 hours to 7 days after the shopper wrote
        tag = message.get("message_tag")
        return messenger.tagged(calls, str(tag)) if tag else calls


class ProfileNames:
    """The shoppers' display names from the Graph API's profile of a PSID or IGSID, asked once
    per shopper (the answer, or its failure, is kept); a failure means no name, never an
    error."""

    def __init__(self, settings: MessengerSettings, capacity: int = 50_000) -> None:
        self.settings = settings
        self.capacity = capacity
        self._names: OrderedDict[str, str | None] = OrderedDict()

    async def name(self, user_id: str, app: str | None) -> str | None:
        """The display name of ``user_id`` on ``app`` (``messenger`` or ``instagram``)."""
        if user_id in self._names:
            self._names.move_to_end(user_id)
            return self._names[user_id]
        params = {
            "fields": messenger.profile_fields(app),
            "access_token": self.settings.page_token,
        }
        try:
            profile = await get_json(
                self.settings.profile_url(user_id), params, PROFILE_TIMEOUT_SECONDS
            )
            found = messenger.profile_name(profile)
        except Exception as error:  # noqa: BLE001 - any failure only costs the name
            logger.info("Messenger: no profile name for a shopper (%s)", error)
            found = None
        self._names[user_id] = found
        while len(self._names) > self.capacity:
            self._names.popitem(last=False)
        return found


class MessengerInput(MetaWebhookInput):
    """Receives Messenger and Instagram deliveries (``object`` ``page`` or ``instagram``)."""

    settings: MessengerSettings

    @classmethod
    def name(cls) -> str:
        return messenger.CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> MessengerInput:
        return cls(MessengerSettings.from_env(os.environ))

    def __init__(self, settings: MessengerSettings) -> None:
        super().__init__(settings)
        self.profiles = ProfileNames(settings)

    def get_output_channel(self) -> MessengerOutput | None:
        if not self.settings.configured:
            return None
        return MessengerOutput(self.settings, site_url(os.environ))

    def read(self, request: Request) -> list[Inbound]:
        payload = request.json
        if not isinstance(payload, dict):
            raise ValueError("a Messenger delivery is a JSON object")
        return messenger.parse_delivery(payload)

    async def prepare(self, item: Inbound, agent: Any) -> Inbound:
        if item.kind != "text" or item.display_name:
            return item
        user_id = platform_id(messenger.CHANNEL, item.conversation_id)
        name = await self.profiles.name(user_id, item.app)
        return replace(item, display_name=name) if name else item
