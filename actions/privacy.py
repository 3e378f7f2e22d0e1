"""Shoppers' data requests in the chat ("what do you store about me?", "delete my data"):
see :mod:`bot.privacy.chat`."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import apologise, latest_intent, send
from bot.privacy.chat import answer_data_request, erase_conversation

ERASE_AGAIN_AFTER_S = 10.0
"""Rasa stores the turn's events after the reply: the conversation is erased again this long
after an erasure, so that nothing of it stays."""


class ActionPrivacyRequest(Action):
    """Shows or erases what is stored about the shopper's verified e-mail address."""

    def name(self) -> str:
        return "action_privacy_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = latest_intent(tracker)
        try:
            reply = await asyncio.to_thread(
                answer_data_request,
                intent,
                tracker.get_slot("verified_order"),
                tracker.get_slot("email"),
            )
        except Exception as error:  # noqa: BLE001 - the shopper gets an apology, we get a log
            return apologise(dispatcher, self.name(), error)
        if intent == "confirm_delete_my_data" and "verified_order" in reply.slots:
            loop = asyncio.get_running_loop()
            sender = tracker.sender_id
            loop.call_later(
                ERASE_AGAIN_AFTER_S,
                lambda: loop.run_in_executor(None, erase_conversation, sender),
            )
        return send(dispatcher, reply)
