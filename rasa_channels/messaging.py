"""The part every messaging-app channel shares: the webhook route, its answers when the channel is
not configured or a request is not authentic, once-only handing of deliveries to Rasa, and the
polite answer to media.

A channel subclasses :class:`MessagingInput` with its settings, how a request is authenticated
and read, and its output channel; see ``rasa_channels/telegram.py``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.calls import ApiCall, Button
from bot.channels.ids import platform_id
from bot.channels.inbound import TEXT_ONLY_REPLY, Inbound
from bot.channels.settings import ChannelSettings
from bot.messages import Card, read_card
from rasa_channels.deliveries import RecentDeliveries, record_reply
from rasa_channels.failed_turns import FailedTurnGuard

logger = logging.getLogger(__name__)

API_TIMEOUT_SECONDS = 20.0


class ChannelSendError(RuntimeError):
    """A messaging app's API refused or failed a reply (``answer``: its JSON answer, if any)."""

    def __init__(self, message: str, status: int, answer: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.answer = answer


class Refusal(Exception):
    """A webhook request that is answered with ``status`` and ``reason`` and reaches no
    dialogue."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


async def post_json(
    url: str,
    body: dict[str, Any],
    headers: dict[str, str] | None = None,
    *,
    form: bool = False,
    auth: aiohttp.BasicAuth | None = None,
) -> Any:
    """POSTs ``body`` as JSON (or as form fields) and returns the JSON answer; raises
    :class:`ChannelSendError` with the platform's answer when it is not a success."""
    timeout = aiohttp.ClientTimeout(total=API_TIMEOUT_SECONDS)
    payload: dict[str, Any] = {"data": body} if form else {"json": body}
    async with aiohttp.ClientSession(timeout=timeout) as session:
        async with session.post(url, headers=headers, auth=auth, **payload) as answer:
            text = await answer.text()
            try:
                data = json.loads(text) if text else None
            except ValueError:
                data = None
            if answer.status >= 300:
                where = "{0.scheme}://{0.netloc}".format(urlsplit(url))  # tokens stay out of logs
                raise ChannelSendError(
                    f"{where} answered {answer.status}: {text[:500]}", answer.status, data
                )
            return data


async def get_json(url: str, params: dict[str, str], timeout: float = API_TIMEOUT_SECONDS) -> Any:
    """GETs ``url`` and returns the JSON answer; raises :class:`ChannelSendError` when it is not
    a success (or ``aiohttp``'s and ``asyncio``'s errors when the API is unreachable)."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        async with session.get(url, params=params) as answer:
            text = await answer.text()
            if answer.status >= 300:
                where = "{0.scheme}://{0.netloc}".format(urlsplit(url))
                raise ChannelSendError(f"{where} answered {answer.status}", answer.status)
            return json.loads(text) if text else None


class MessagingOutput(OutputChannel):
    """Base of the apps' output channels: Rasa's messages become the API calls an app's
    renderer builds, sent one after another.

    A channel supplies the hooks: :meth:`text_calls` (text, with buttons), :meth:`card_calls`
    (the project's cards), :meth:`send_call` and, where the app shows pictures,
    :meth:`image_calls`; :meth:`for_message` may adjust the calls to what the message carries.
    """

    def __init__(self, settings: ChannelSettings, site: str) -> None:
        self.settings = settings
        self.site = site

    def recipient(self, recipient_id: str) -> str:
        """The platform's id of the shopper in the conversation ``recipient_id``."""
        return platform_id(self.name(), recipient_id)

    def text_calls(self, to: str, text: str, buttons: Sequence[Button]) -> list[ApiCall]:
        """The calls that show ``text`` (Markdown) and ``buttons`` to ``to``."""
        raise NotImplementedError(f"{type(self).__name__} must implement text_calls")

    def image_calls(self, to: str, image: str) -> list[ApiCall]:
        """The calls that show the picture at ``image``; its link as text by default."""
        return self.text_calls(to, image, ())

    def card_calls(self, to: str, card: Card) -> list[ApiCall]:
        """The calls that show ``card`` (products, an order, sources...)."""
        raise NotImplementedError(f"{type(self).__name__} must implement card_calls")

    def for_message(self, calls: list[ApiCall], message: Mapping[str, Any]) -> list[ApiCall]:
        """``calls`` adjusted to the rest of Rasa's message (its metadata, e.g. an agent's
        message tag); unchanged by default."""
        return calls

    async def send_call(self, call: ApiCall) -> None:
        """Sends one API call."""
        raise NotImplementedError(f"{type(self).__name__} must implement send_call")

    async def send_calls(self, calls: list[ApiCall]) -> None:
        """Sends ``calls`` one after another (their order is the order the shopper sees)."""
        for call in calls:
            await self.send_call(call)

    async def _send(self, calls: list[ApiCall], message: Mapping[str, Any]) -> None:
        await self.send_calls(self.for_message(calls, message))

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send(self.text_calls(self.recipient(recipient_id), text, ()), kwargs)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: Sequence[Button], **kwargs: Any
    ) -> None:
        await self._send(self.text_calls(self.recipient(recipient_id), text, buttons), kwargs)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._send(self.image_calls(self.recipient(recipient_id), image), kwargs)

    async def send_attachment(self, recipient_id: str, attachment: Any, **kwargs: Any) -> None:
        await self.send_text_message(recipient_id, str(attachment), **kwargs)

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        card = read_card(json_message)
        if card is None:
            logger.warning(
                "%s: skipped a custom message that is no card: %s", self.name(), json_message
            )
            return
        await self._send(self.card_calls(self.recipient(recipient_id), card), kwargs)


class MessagingInput(InputChannel):
    """Base of the apps' input channels (one webhook at ``/webhooks/<name>/webhook``)."""

    def __init__(self, settings: ChannelSettings) -> None:
        self.settings = settings
        self.deliveries = RecentDeliveries()

    def authenticate(self, request: Request) -> None:
        """Raises :class:`Refusal` unless ``request`` comes from the platform."""
        raise NotImplementedError(f"{type(self).__name__} must implement authenticate")

    def read(self, request: Request) -> list[Inbound]:
        """The shoppers' messages in an authenticated request (raises ``ValueError`` when it
        cannot be read)."""
        raise NotImplementedError(f"{type(self).__name__} must implement read")

    def get_output_channel(self) -> MessagingOutput | None:
        """The channel's output channel, or None while it is not configured."""
        raise NotImplementedError(f"{type(self).__name__} must implement get_output_channel")

    async def verify(self, request: Request) -> HTTPResponse:
        """Answers the platform's ``GET`` of the webhook (Meta's verification); 405 here."""
        return response.json({"error": "this webhook takes POST requests"}, status=405)

    async def prepare(self, item: Inbound, agent: Any) -> Inbound:
        """``item`` as it goes to Rasa (SMS turns a chosen option's number into its payload);
        unchanged by default."""
        return item

    async def acknowledge(self, item: Inbound, output: MessagingOutput) -> None:
        """Tells the platform that ``item`` was received, where it wants that (Telegram's
        callback queries); nothing by default."""

    def answer(self) -> HTTPResponse:
        """The webhook's answer to a handled delivery."""
        return response.json({"status": "ok"})

    def not_configured(self) -> HTTPResponse | None:
        """503 with the missing settings' names, or None when the channel is configured."""
        if self.settings.configured:
            return None
        missing = ", ".join(self.settings.missing)
        reason = f"the {self.name()} channel is not configured: set {missing}"
        return response.json({"error": reason}, status=503)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The webhook routes: ``GET /`` (state), ``GET /webhook`` (verification) and
        ``POST /webhook`` (deliveries). A turn that a failed custom action left silent gets a
        short apology (:mod:`rasa_channels.failed_turns`)."""
        guard = FailedTurnGuard()
        on_new_message = guard.wrap(on_new_message)
        hook = guard.watch(Blueprint(f"{self.name()}_messaging_webhook", __name__))

        @hook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.settings.configured else "unconfigured"})

        @hook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            return self.not_configured() or await self.verify(request)

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            refused = self.not_configured()
            if refused is not None:
                return refused
            try:
                self.authenticate(request)
                items = self.read(request)
            except Refusal as refusal:
                logger.warning("%s webhook refused: %s", self.name(), refusal.reason)
                return response.json({"error": refusal.reason}, status=refusal.status)
            except (ValueError, KeyError, TypeError) as error:
                return response.json({"error": f"unreadable delivery: {error}"}, status=400)
            output = self.get_output_channel()
            assert output is not None  # configured
            for item in items:
                if not await self.deliveries.first_time(request.app.ctx.agent, item):
                    logger.info("%s: dropped a repeat of %s", self.name(), item.message_id)
                    continue
                try:
                    agent = request.app.ctx.agent
                    await self._handle(
                        await self.prepare(item, agent), agent, output, on_new_message
                    )
                except Exception:
                    self.deliveries.forget(item)  # the platform's retry may try again
                    logger.exception("%s: message %s failed", self.name(), item.message_id)
                    return response.json({"error": "the message could not be handled"}, status=500)
            return self.answer()

        return hook

    async def _handle(
        self,
        item: Inbound,
        agent: Any,
        output: MessagingOutput,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        await self.acknowledge(item, output)
        if item.kind == "unsupported":
            await output.send_text_message(item.conversation_id, TEXT_ONLY_REPLY)
            try:
                await record_reply(agent, item, TEXT_ONLY_REPLY, output)
            except Exception:  # the shopper has the answer: a retry must not fail it again
                logger.exception(
                    "%s: could not keep the answer to %s", self.name(), item.message_id
                )
            return
        await on_new_message(
            UserMessage(
                item.text,
                output,
                item.conversation_id,
                input_channel=self.name(),
                message_id=item.message_id,
                metadata=item.metadata(self.name()),
            )
        )
