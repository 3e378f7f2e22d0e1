"""Answers product and policy questions from the shop's knowledge."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import apologise, latest_text, send
from bot.conversation.knowledge_answers import answer_question


class ActionAnswerKnowledge(Action):
    """One action for every knowledge question (products, delivery, refunds policy, payments)."""

    def name(self) -> str:
        return "action_answer_knowledge"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name") or ""
        try:
            return send(dispatcher, answer_question(latest_text(tracker), intent))
        except Exception as error:  # noqa: BLE001 - the shopper gets an apology, we get a log
            return apologise(dispatcher, self.name(), error)
