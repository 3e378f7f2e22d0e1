"""The final fallback when nobody can take over (no agent, outside hours): one apology with the
team's hours, then the turn ends by listening; it never starts the fallback again."""

from __future__ import annotations

from datetime import datetime

import pytest
from rasa_sdk.events import ConversationPaused, FollowupAction

from actions.handoff import ActionDefaultFallback
from bot.handoff.announcements import SHOP_TZ
from bot.settings import get_settings
from tests.unit.actions.conftest import DOMAIN, make_tracker

pytestmark = pytest.mark.unit


def at(monkeypatch: pytest.MonkeyPatch, when: datetime, availability: str) -> None:
    monkeypatch.setattr(get_settings(), "handoff_availability", availability)
    monkeypatch.setattr(
        "actions.handoff.datetime", type("D", (), {"now": staticmethod(lambda: when)})
    )


@pytest.mark.parametrize(
    ("when", "availability", "says"),
    [
        (datetime(2026, 11, 29, 12, tzinfo=SHOP_TZ), "hours", "nobody is available just now"),
        (datetime(2026, 12, 1, 11, tzinfo=SHOP_TZ), "hours", "available right now"),  # no agents
        (datetime(2026, 12, 1, 11, tzinfo=SHOP_TZ), "online", "available right now"),
    ],
    ids=["out of hours", "in hours, no agent account", "nobody signed in"],
)
async def test_nobody_to_take_over_means_one_reply_and_listening(
    dispatcher, monkeypatch, when, availability, says
):
    at(monkeypatch, when, availability)
    tracker = make_tracker(text="😀😀😀", intent="nlu_fallback")
    events = await ActionDefaultFallback().run(dispatcher, tracker, DOMAIN)
    assert events[-1] == FollowupAction("action_listen") and ConversationPaused() not in events
    texts = [m["text"] for m in dispatcher.messages]
    assert texts[0] == "I'm sorry, I still can't work out what you need."
    assert len(texts) == 2 and says in texts[1]


async def test_with_a_person_coming_the_conversation_pauses(dispatcher, monkeypatch):
    at(monkeypatch, datetime(2026, 12, 1, 11, tzinfo=SHOP_TZ), "always")
    events = await ActionDefaultFallback().run(
        dispatcher, make_tracker(text="你们支持退货吗", intent="nlu_fallback"), DOMAIN
    )
    assert events[-1] == ConversationPaused()
