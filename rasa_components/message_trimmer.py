"""Rasa 3.6 component that cuts a huge message before the NLU pipeline reads it.

DIET's attention grows with the square of the number of tokens: a message of 180,000 characters
(40,000 words) asks TensorFlow for tens of gigabytes and the turn is lost, with no reply and no
event in the tracker. This component runs first and keeps the message's first
:data:`KEPT_CHARS` characters for the NLU. That is still over the limit the message guard
answers ("That's a long message!"), so the shopper gets that reply; the tracker keeps the
message as sent.

Pipeline entry (first)::

    - name: rasa_components.message_trimmer.MessageTrimmer
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.conversation.message_checks import MAX_MESSAGE_CHARS

KEPT_CHARS = 2 * MAX_MESSAGE_CHARS
"""How much of a message the NLU reads: twice the guard's limit, so a cut message is still one
the guard answers as too long."""


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class MessageTrimmer(GraphComponent):
    """Keeps the first :data:`KEPT_CHARS` characters of each message's text for the NLU."""

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
    ) -> MessageTrimmer:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training examples pass unchanged (none is near the limit)."""
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Cuts each message's text to :data:`KEPT_CHARS` characters."""
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str) and len(text) > KEPT_CHARS:
                message.set(TEXT, text[:KEPT_CHARS])
        return messages
