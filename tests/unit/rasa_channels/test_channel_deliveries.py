"""Each platform delivery is handled once, also after a restart: the ids are read back from the
tracker store (Rasa side; run with .venv-rasa, which has no pytest-asyncio)."""

import asyncio

import pytest

pytest.importorskip("rasa", reason="Rasa-side test: run with .venv-rasa/bin/python")

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.inbound import TEXT_ONLY_REPLY, Inbound
from rasa_channels.deliveries import IN_REPLY_TO, RecentDeliveries

pytestmark = pytest.mark.unit


class Agent:
    """What the deliveries read of Rasa's agent: its tracker store."""

    def __init__(self, tracker_store):
        self.tracker_store = tracker_store


def item(message_id: str, conversation: str = "telegram:42") -> Inbound:
    return Inbound("text", conversation, message_id, "hello")


def test_a_repeat_is_caught_in_memory_and_forget_lets_a_retry_through():
    async def scenario():
        deliveries = RecentDeliveries()
        agent = Agent(None)
        assert await deliveries.first_time(agent, item("1"))
        assert not await deliveries.first_time(agent, item("1"))
        assert await deliveries.first_time(agent, item("1", "telegram:43"))  # another chat
        deliveries.forget(item("1"))
        assert await deliveries.first_time(agent, item("1"))

    asyncio.run(scenario())


def test_a_delivery_in_the_tracker_store_is_not_handled_again_after_a_restart(tmp_path):
    async def scenario():
        domain = Domain.empty()
        store = SQLTrackerStore(domain, db=str(tmp_path / "tracker.db"))
        tracker = DialogueStateTracker("telegram:42", domain.slots)
        tracker.update(UserUttered("hello", message_id="10000", input_channel="telegram"))
        await store.save(tracker)
        restarted = RecentDeliveries()  # nothing in memory
        reopened = Agent(SQLTrackerStore(domain, db=str(tmp_path / "tracker.db")))
        assert not await restarted.first_time(reopened, item("10000"))
        assert await restarted.first_time(reopened, item("10001"))
        assert await restarted.first_time(reopened, item("1", "telegram:unknown"))

    asyncio.run(scenario())


def test_a_media_delivery_answered_earlier_is_recognised_by_its_reply(tmp_path):
    async def scenario():
        domain = Domain.empty()
        store = SQLTrackerStore(domain, db=str(tmp_path / "tracker.db"))
        tracker = DialogueStateTracker("whatsapp:316", domain.slots)
        tracker.update(BotUttered(TEXT_ONLY_REPLY, metadata={IN_REPLY_TO: "wamid.photo1"}))
        await store.save(tracker)
        restarted = RecentDeliveries()
        reopened = Agent(SQLTrackerStore(domain, db=str(tmp_path / "tracker.db")))
        photo = Inbound("unsupported", "whatsapp:316", "wamid.photo1", media_type="image")
        assert not await restarted.first_time(reopened, photo)
        assert await restarted.first_time(reopened, item("wamid.photo2", "whatsapp:316"))

    asyncio.run(scenario())


def test_capacity_is_checked():
    with pytest.raises(ValueError, match="capacity must be at least 1"):
        RecentDeliveries(capacity=0)
