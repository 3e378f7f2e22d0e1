"""The first stage of the two-stage fallback: "did you mean …?" with readable choices."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import latest_text
from bot.conversation.message_checks import RESPONSE_FOR_PROBLEM, find_problem
from bot.intent_labels import suggestions
from bot.messages import read_parse


class ActionDefaultAskAffirmation(Action):
    """Asks the shopper to pick what they meant, or explains why the message can't be read."""

    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        problem = find_problem(latest_text(tracker))
        if problem is not None:
            dispatcher.utter_message(response=RESPONSE_FOR_PROBLEM[problem])
            return []
        options = suggestions([dict(s) for s in read_parse(tracker.latest_message).ranking])
        if not options:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        buttons = [{"title": label, "payload": f"/{intent}"} for intent, label in options]
        buttons.append({"title": "Something else", "payload": "/out_of_scope"})
        text = (
            f'Sorry, I\'m not sure I understood. Did you mean "{options[0][1]}"?'
            if len(options) == 1
            else "Sorry, I'm not sure I understood. Did you mean one of these?"
        )
        dispatcher.utter_message(text=text, buttons=buttons)
        return []
