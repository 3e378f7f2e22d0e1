"""A turn that a failed custom action left silent gets one short apology, kept in the tracker;
a turn that said something, ran no custom action, or belongs to a conversation a person has
gets nothing more (Rasa side; run with .venv-rasa, which has no pytest-asyncio).

    PYTHONPATH=. .venv-rasa/bin/python -m pytest -q -p no:cacheprovider -c pytest.ini \
        -o addopts="" --confcutdir=tests/unit tests/unit/rasa_channels
"""

import asyncio
import logging
from types import SimpleNamespace

import pytest

pytest.importorskip("rasa", reason="Rasa-side test: run with .venv-rasa/bin/python")

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    ConversationPaused,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.messages import ACTION_FAILED_APOLOGY
from rasa_channels.failed_turns import (
    FailedTurnGuard,
    custom_action_names,
    failed_action,
    turn_of,
)

pytestmark = pytest.mark.unit

DOMAIN = Domain.from_dict(
    {
        "intents": ["greet", "ask_shipping"],
        "responses": {"utter_greet": [{"text": "Hello!"}]},
        "actions": ["action_answer_knowledge", "validate_order_form"],
        "slots": {"order_id": {"type": "text", "mappings": [{"type": "from_text"}]}},
        "forms": {"order_form": {"required_slots": ["order_id"]}},
    }
)
CUSTOM = custom_action_names(DOMAIN)


def user(text: str, message_id: str) -> UserUttered:
    return UserUttered(text, {"name": "ask_shipping", "confidence": 1.0}, message_id=message_id)


def test_the_custom_actions_are_the_domains_actions_and_forms_without_its_responses():
    assert CUSTOM == {"action_answer_knowledge", "validate_order_form", "order_form"}


def test_a_turn_is_the_events_after_its_message_up_to_the_next_message():
    events = [
        user("hi", "m1"),
        ActionExecuted("utter_greet"),
        BotUttered("Hello!"),
        ActionExecuted("action_listen"),
        user("shipping?", "m2"),
        ActionExecuted("action_answer_knowledge"),
        ActionExecuted("action_listen"),
    ]
    assert turn_of(events, "m1") == events[1:4]
    assert turn_of(events, "m2") == events[5:]
    assert turn_of(events, "unknown") is None


def test_only_a_silent_turn_that_ran_a_custom_action_is_a_failed_one():
    failed = [ActionExecuted("action_answer_knowledge"), ActionExecuted("action_listen")]
    assert failed_action(failed, CUSTOM) == "action_answer_knowledge"
    answered = [
        ActionExecuted("action_answer_knowledge"),
        BotUttered("Delivery takes 2-4 days."),
        ActionExecuted("action_listen"),
    ]
    assert failed_action(answered, CUSTOM) is None
    listened = [ActionExecuted("action_listen")]  # Rasa's own actions only: not this guard's
    assert failed_action(listened, CUSTOM) is None
    form = [ActionExecuted("order_form"), ActionExecuted("action_listen")]
    assert failed_action(form, CUSTOM) == "order_form"


class Agent(SimpleNamespace):
    """What the guard reads of Rasa's agent: domain, lock store, tracker store, processor."""


class Processor:
    """The two tracker methods of Rasa's processor the guard uses, over a real tracker store."""

    def __init__(self, store: SQLTrackerStore) -> None:
        self.store = store

    async def get_tracker(self, conversation_id: str) -> DialogueStateTracker:
        return await self.store.get_or_create_tracker(conversation_id)

    async def save_tracker(self, tracker: DialogueStateTracker) -> None:
        await self.store.save(tracker)


def guard_over(store: SQLTrackerStore) -> FailedTurnGuard:
    guard = FailedTurnGuard()
    agent = Agent(
        domain=DOMAIN,
        lock_store=InMemoryLockStore(),
        tracker_store=store,
        processor=Processor(store),
    )
    guard.app = SimpleNamespace(ctx=SimpleNamespace(agent=agent))  # type: ignore[assignment]
    return guard


def run_turn(store: SQLTrackerStore, events: list, paused: bool = False) -> list[dict]:
    """Stores a conversation whose latest turn (message "m1") left ``events``, runs the guarded
    handler for that message, and returns what the shopper received."""

    async def scenario() -> list[dict]:
        tracker = DialogueStateTracker("shopper-1", DOMAIN.slots)
        if paused:
            tracker.update(ConversationPaused())
        tracker.update(user("how long is delivery?", "m1"))
        for event in events:
            tracker.update(event)
        await store.save(tracker)
        output = CollectingOutputChannel()

        async def rasa_handled(message: UserMessage) -> None:
            return None  # the turn's events are in the store already

        guarded = guard_over(store).wrap(rasa_handled)
        await guarded(UserMessage("how long is delivery?", output, "shopper-1", message_id="m1"))
        return output.messages

    return asyncio.run(scenario())


def test_a_silent_turn_after_a_failed_action_gets_one_apology_kept_in_the_tracker(tmp_path, caplog):
    store = SQLTrackerStore(DOMAIN, db=str(tmp_path / "tracker.db"))
    failed = [ActionExecuted("action_answer_knowledge"), ActionExecuted("action_listen")]
    with caplog.at_level(logging.WARNING, logger="rasa_channels.failed_turns"):
        sent = run_turn(store, failed)
    assert [m["text"] for m in sent] == [ACTION_FAILED_APOLOGY]
    assert "Action action_answer_knowledge failed in conversation shopper-1" in caplog.text
    kept = asyncio.run(store.retrieve("shopper-1"))
    bot = [e for e in kept.events if isinstance(e, BotUttered)]
    assert [e.text for e in bot] == [ACTION_FAILED_APOLOGY]
    assert bot[0].metadata == {"fault": "action_failed", "action": "action_answer_knowledge"}


def test_an_answered_turn_and_a_paused_conversation_get_nothing_more(tmp_path):
    answered = [
        ActionExecuted("action_answer_knowledge"),
        BotUttered("Delivery takes 2-4 days."),
        ActionExecuted("action_listen"),
    ]
    assert run_turn(SQLTrackerStore(DOMAIN, db=str(tmp_path / "a.db")), answered) == []
    failed = [ActionExecuted("action_answer_knowledge"), ActionExecuted("action_listen")]
    # A person has the conversation: the bot stays quiet whatever happened.
    assert run_turn(SQLTrackerStore(DOMAIN, db=str(tmp_path / "b.db")), failed, paused=True) == []


def test_without_an_agent_yet_the_guard_does_nothing():
    async def scenario() -> list[dict]:
        output = CollectingOutputChannel()

        async def rasa_handled(message: UserMessage) -> str:
            return "handled"

        guarded = FailedTurnGuard().wrap(rasa_handled)
        assert await guarded(UserMessage("hi", output, "s", message_id="m")) == "handled"
        return output.messages

    assert asyncio.run(scenario()) == []
