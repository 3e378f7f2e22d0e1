"""Acknowledges a request for a human agent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import send
from bot.conversation.handoff import acknowledge_handoff


class ActionHandoff(Action):
    """Tells the shopper how and when a person from the team will help."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return send(dispatcher, acknowledge_handoff(datetime.now().astimezone()))
