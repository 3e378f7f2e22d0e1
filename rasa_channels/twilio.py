"""Twilio SMS (and WhatsApp through Twilio) as a Rasa channel (name ``twilio``, webhook
``/webhooks/twilio/webhook``).

Settings come from the environment (``TWILIO_ACCOUNT_SID``, ``TWILIO_AUTH_TOKEN``,
``TWILIO_NUMBER``, ``TWILIO_API_URL``, ``PUBLIC_BASE_URL``). Every webhook must carry a valid
``X-Twilio-Signature`` over ``PUBLIC_BASE_URL`` + the path and the form parameters (checked with
twilio's ``RequestValidator``). The webhook answers with empty TwiML; replies go through the
Messages API, so an agent's reply can reach the shopper at any time. A reply that is only the
number of an option offered in the bot's last message stands for that option.

Registered in credentials.yml as::

    rasa_channels.twilio.TwilioInput:
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl

import aiohttp
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator  # type: ignore[import-untyped]

from bot.channels import twilio
from bot.channels.calls import ApiCall, Button
from bot.channels.inbound import Inbound
from bot.channels.settings import TwilioSettings, site_url
from bot.messages import Card
from rasa_channels.messaging import MessagingInput, MessagingOutput, Refusal, post_json

logger = logging.getLogger(__name__)


class TwilioOutput(MessagingOutput):
    """Sends replies with the Messages API (``POST .../Accounts/{sid}/Messages.json``)."""

    settings: TwilioSettings

    @classmethod
    def name(cls) -> str:
        return twilio.CHANNEL

    async def send_call(self, call: ApiCall) -> None:
        auth = aiohttp.BasicAuth(self.settings.account_sid, self.settings.auth_token)
        await post_json(self.settings.messages_url, call["body"], form=True, auth=auth)

    def text_calls(self, to: str, text: str, buttons: Sequence[Button]) -> list[ApiCall]:
        return twilio.text_calls(to, self.settings.number, text, buttons)

    def card_calls(self, to: str, card: Card) -> list[ApiCall]:
        return twilio.card_calls(to, self.settings.number, card, self.site)


async def offered_options(agent: Any, conversation: str) -> list[Button]:
    """The buttons of the bot's messages since the shopper last wrote (the options an SMS reply
    may choose by number)."""
    store = getattr(agent, "tracker_store", None)
    tracker = await store.retrieve(conversation) if store is not None else None
    if tracker is None:
        return []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return []
        if isinstance(event, BotUttered) and event.data.get("buttons"):
            return list(event.data["buttons"])
    return []


class TwilioInput(MessagingInput):
    """Receives Twilio's incoming-message webhooks (form-encoded)."""

    settings: TwilioSettings

    @classmethod
    def name(cls) -> str:
        return twilio.CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TwilioInput:
        return cls(TwilioSettings.from_env(os.environ))

    def get_output_channel(self) -> TwilioOutput | None:
        if not self.settings.configured:
            return None
        return TwilioOutput(self.settings, site_url(os.environ))

    @staticmethod
    def _form(request: Request) -> dict[str, str]:
        # Twilio signs every parameter, empty ones too (Sanic's request.form drops those).
        return dict(parse_qsl(request.body.decode(), keep_blank_values=True))

    def authenticate(self, request: Request) -> None:
        signature = request.headers.get(twilio.SIGNATURE_HEADER)
        if not signature:
            raise Refusal(401, f"missing {twilio.SIGNATURE_HEADER}")
        url = self.settings.public_url + request.path
        if request.query_string:
            url += f"?{request.query_string}"
        validator = RequestValidator(self.settings.auth_token)
        if not validator.validate(url, self._form(request), signature):
            raise Refusal(403, f"wrong {twilio.SIGNATURE_HEADER}")

    def read(self, request: Request) -> list[Inbound]:
        return twilio.parse_form(self._form(request))

    async def prepare(self, item: Inbound, agent: Any) -> Inbound:
        if item.kind != "text" or not item.text.strip().rstrip(".)").isdigit():
            return item
        payload = twilio.chosen_option(
            item.text, await offered_options(agent, item.conversation_id)
        )
        return replace(item, text=payload) if payload else item

    def answer(self) -> HTTPResponse:
        return response.text(twilio.EMPTY_TWIML, content_type="text/xml")
