"""Rasa 3.6 component that sends unreadable messages to the fallback, whatever DIET thinks.

Empty, symbol-only, very long and non-English messages are classified by DIET with arbitrary
(sometimes high) confidence. This component runs after the FallbackClassifier and sets their
intent to ``nlu_fallback`` with confidence 1.0; the assistant's
``action_default_ask_affirmation`` then explains politely what it can read.

Pipeline entry (after FallbackClassifier)::

    - name: rasa_components.message_guard.MessageGuard
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.conversation.message_checks import find_problem

FALLBACK_INTENT = "nlu_fallback"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class MessageGuard(GraphComponent):
    """Overrides the intent of messages that can't be understood with ``nlu_fallback``."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageGuard:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Marks each unreadable message as ``nlu_fallback`` (confidence 1.0)."""
        for message in messages:
            problem = find_problem(message.get(TEXT))
            if problem is None:
                continue
            fallback = {"name": FALLBACK_INTENT, "confidence": 1.0}
            message.set(INTENT, fallback, add_to_output=True)
            ranking = [
                r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != FALLBACK_INTENT
            ]
            message.set(INTENT_RANKING_KEY, [fallback, *ranking], add_to_output=True)
            message.set("message_problem", problem.value, add_to_output=True)
        return messages
