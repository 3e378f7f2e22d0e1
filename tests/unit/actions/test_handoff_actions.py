"""Handoff triggers with real trackers and a real (temporary) app database."""

from __future__ import annotations

from datetime import datetime

import pytest
from rasa_sdk.events import ConversationPaused, FollowupAction, SlotSet
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from actions.handoff import ActionComplaint, ActionDefaultFallback, ActionHandoff
from actions.orders import ActionRunOrderTask
from bot.handoff.announcements import SHOP_TZ
from bot.handoff.models import Conversation
from bot.settings import get_settings
from tests.unit.actions.conftest import DOMAIN, make_tracker

pytestmark = pytest.mark.unit


@pytest.fixture()
def open_all_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "handoff_availability", "always")


@pytest.fixture()
def closed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "handoff_availability", "hours")
    sunday = datetime(2026, 11, 29, 12, tzinfo=SHOP_TZ)
    monkeypatch.setattr(
        "actions.handoff.datetime", type("D", (), {"now": staticmethod(lambda: sunday)})
    )


def stored(url: str) -> list[Conversation]:
    with Session(create_engine(url)) as session:
        return list(session.scalars(select(Conversation)))


async def test_asking_for_a_person_queues_and_pauses(dispatcher, open_all_day, handoff_database):
    events = await ActionHandoff().run(
        dispatcher, make_tracker(intent="contact_human_agent"), DOMAIN
    )
    assert events[-1] == ConversationPaused()
    assert "next in line" in dispatcher.messages[0]["text"]
    [row] = stored(handoff_database)
    assert (row.session_id, row.status, row.reason, row.priority) == (
        "unit-test",
        "open",
        "asked",
        1,
    )


async def test_the_second_shopper_in_line_hears_their_position(dispatcher, open_all_day):
    first = make_tracker(intent="contact_human_agent")
    first.sender_id = "someone-else"
    await ActionHandoff().run(dispatcher, first, DOMAIN)
    await ActionHandoff().run(dispatcher, make_tracker(intent="contact_human_agent"), DOMAIN)
    assert "number 2 in the queue" in dispatcher.messages[1]["text"]


async def test_outside_opening_hours_nothing_is_queued(dispatcher, closed, handoff_database):
    events = await ActionHandoff().run(
        dispatcher, make_tracker(intent="contact_human_agent"), DOMAIN
    )
    assert ConversationPaused() not in events
    assert "nobody is available just now" in dispatcher.messages[0]["text"]
    assert stored(handoff_database) == []


async def test_an_upset_complaint_goes_to_a_person_first(
    dispatcher, open_all_day, handoff_database
):
    tracker = make_tracker(
        text="This is ridiculous, the worst service ever, I'm furious", intent="complaint"
    )
    events = await ActionComplaint().run(dispatcher, tracker, DOMAIN)
    assert events[-1] == ConversationPaused()
    [row] = stored(handoff_database)
    assert (row.reason, row.priority) == ("negative_sentiment", 3) and row.sentiment < -0.5


async def test_a_signed_in_agent_staffs_the_queue_out_of_hours(
    dispatcher, closed, handoff_database
):
    from bot.appdata import get_app_engine, get_app_sessionmaker
    from bot.handoff.agents import create_agent, open_session
    from bot.handoff.models import Role

    with get_app_sessionmaker(get_app_engine(handoff_database))() as session, session.begin():
        agent = create_agent(
            session, "ann@fernhill.example", "Ann", "correct horse battery", Role.AGENT
        )
        open_session(session, agent, minutes=5)
    events = await ActionHandoff().run(
        dispatcher, make_tracker(intent="contact_human_agent"), DOMAIN
    )
    assert events[-1] == ConversationPaused()


async def test_within_hours_nothing_is_queued_while_the_console_has_no_agents(
    dispatcher, monkeypatch, handoff_database
):
    monkeypatch.setattr(get_settings(), "handoff_availability", "hours")
    tuesday_noon = datetime(2026, 12, 1, 12, tzinfo=SHOP_TZ)
    monkeypatch.setattr(
        "actions.handoff.datetime", type("D", (), {"now": staticmethod(lambda: tuesday_noon)})
    )
    events = await ActionHandoff().run(
        dispatcher, make_tracker(intent="contact_human_agent"), DOMAIN
    )
    assert ConversationPaused() not in events and stored(handoff_database) == []
    assert "call us on" in dispatcher.messages[0]["text"]


async def test_a_calm_complaint_gets_the_procedure(dispatcher, open_all_day, handoff_database):
    tracker = make_tracker(text="I would like to file a complaint", intent="complaint")
    assert await ActionComplaint().run(dispatcher, tracker, DOMAIN) == []
    assert dispatcher.messages[0]["response"] == "utter_complaint"
    assert stored(handoff_database) == []


async def test_two_unclear_messages_in_a_row_go_to_a_person(
    dispatcher, open_all_day, handoff_database
):
    tracker = make_tracker(text="blorp", intent="nlu_fallback")
    events = await ActionDefaultFallback().run(dispatcher, tracker, DOMAIN)
    assert events[-1] == ConversationPaused()
    assert stored(handoff_database)[0].reason == "repeated_fallback"


async def test_a_large_refund_is_left_to_a_person(dispatcher, demo, open_all_day, handoff_database):
    order = demo["refunded"]  # 532.95 EUR, above the 250 EUR default limit
    slots = {"order_task": "get_refund", "order_id": order.order_id, "email": order.email}
    events = await ActionRunOrderTask().run(dispatcher, make_tracker(slots=slots), DOMAIN)
    assert SlotSet("handoff_reason", "refund_over_limit") in events
    assert FollowupAction("action_handoff") in events
    tracker = make_tracker(
        slots={
            "handoff_reason": "refund_over_limit",
            "email": order.email,
            "verified_order": order.order_id,
        }
    )
    handoff = await ActionHandoff().run(dispatcher, tracker, DOMAIN)
    assert SlotSet("handoff_reason", None) in handoff and handoff[-1] == ConversationPaused()
    [row] = stored(handoff_database)
    assert (row.reason, row.priority, row.contact_email) == ("refund_over_limit", 2, order.email)
