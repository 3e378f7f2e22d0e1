"""The order actions, run as the action server runs them: real trackers, real SQLite shop."""

from __future__ import annotations

import pytest
from rasa_sdk.events import FollowupAction, SlotSet
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from actions.orders import (
    ActionChangeAddressConfirm,
    ActionConfirm,
    ActionRunOrderTask,
    ActionSetOrderTask,
    ValidateAddressForm,
    ValidateOrderForm,
)
from bot.commerce.models import Order, Refund
from bot.conversation import order_tasks
from tests.unit.actions.conftest import DOMAIN, make_tracker

pytestmark = pytest.mark.unit


def texts(dispatcher) -> str:
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


def status_of(url: str, order_id: str) -> str:
    with Session(create_engine(url)) as session:
        return str(session.get(Order, order_id).status)


async def test_set_order_task_remembers_the_intent(dispatcher):
    events = await ActionSetOrderTask().run(dispatcher, make_tracker(intent="cancel_order"), DOMAIN)
    assert events == [SlotSet("order_task", "cancel_order"), SlotSet("awaiting_confirmation", None)]


async def test_order_form_accepts_a_known_order_typed_loosely(dispatcher, demo):
    order = demo["shipped"]
    tracker = make_tracker(
        text=f"it's #{order.order_id.lower()}",
        intent="track_order",
        slots={"requested_slot": "order_id", "order_task": "track_order"},
        active_loop="order_form",
    )
    events = await ValidateOrderForm().run(dispatcher, tracker, DOMAIN)
    assert SlotSet("order_id", order.order_id) in events
    assert dispatcher.messages == []


async def test_order_form_refuses_unknown_and_malformed_numbers(dispatcher, shop_url):
    tracker = make_tracker(
        text="A9999",
        entities=[{"entity": "order_id", "value": "A9999"}],
        slots={"requested_slot": "order_id"},
        just_set={"order_id": "A9999"},
        active_loop="order_form",
    )
    events = await ValidateOrderForm().run(dispatcher, tracker, DOMAIN)
    assert SlotSet("order_id", None) in events
    assert "couldn't find an order A9999" in texts(dispatcher)


async def test_wrong_email_is_refused_and_counted(dispatcher, demo):
    order = demo["paid"]
    tracker = make_tracker(
        text="nobody@example.com",
        slots={"requested_slot": "email", "order_id": order.order_id, "order_task": "track_order"},
        just_set={"email": "nobody@example.com"},
        active_loop="order_form",
    )
    events = await ValidateOrderForm().run(dispatcher, tracker, DOMAIN)
    assert SlotSet("email", None) in events
    assert SlotSet("verification_failures", 1.0) in events
    assert "doesn't match order" in texts(dispatcher)


async def test_right_email_verifies_the_order(dispatcher, demo):
    order = demo["paid"]
    tracker = make_tracker(
        text=f"my email is {order.email.upper()}",
        slots={"requested_slot": "email", "order_id": order.order_id, "order_task": "track_order"},
        active_loop="order_form",
    )
    events = await ValidateOrderForm().run(dispatcher, tracker, DOMAIN)
    assert SlotSet("verified_order", order.order_id) in events
    assert SlotSet("verification_failures", 0.0) in events


async def test_track_order_answers_from_the_database(dispatcher, demo):
    order = demo["shipped"]
    tracker = make_tracker(
        slots={"order_task": "track_order", "order_id": order.order_id, "email": order.email}
    )
    await ActionRunOrderTask().run(dispatcher, tracker, DOMAIN)
    answer = texts(dispatcher)
    assert order.order_id in answer and "on its way" in answer and "tracking number" in answer
    card = next(m["custom"]["data"] for m in dispatcher.messages if m.get("custom"))
    assert card["type"] == "order_status" and card["status"] == "shipped" and card["events"]


async def test_cancel_asks_first_then_writes(dispatcher, demo, shop_url):
    order = demo["paid"]
    slots = {"order_task": "cancel_order", "order_id": order.order_id, "email": order.email}
    events = await ActionRunOrderTask().run(dispatcher, make_tracker(slots=slots), DOMAIN)
    assert SlotSet("awaiting_confirmation", "cancel_order") in events
    assert status_of(shop_url, order.order_id) == "paid"
    events = await ActionConfirm().run(
        dispatcher,
        make_tracker(intent="affirm", slots={**slots, "awaiting_confirmation": "cancel_order"}),
        DOMAIN,
    )
    assert SlotSet("awaiting_confirmation", None) in events
    assert f"Order {order.order_id} is cancelled" in texts(dispatcher)
    assert status_of(shop_url, order.order_id) == "cancelled"


async def test_saying_no_keeps_the_order(dispatcher, demo, shop_url):
    order = demo["pending"]
    slots = {
        "order_id": order.order_id,
        "email": order.email,
        "awaiting_confirmation": "cancel_order",
    }
    await ActionConfirm().run(dispatcher, make_tracker(intent="deny", slots=slots), DOMAIN)
    assert "haven't changed anything" in texts(dispatcher)
    assert status_of(shop_url, order.order_id) == "pending"


@pytest.mark.parametrize("status", ["shipped", "delivered"])
async def test_cancel_after_shipping_is_refused_with_reason(dispatcher, demo, shop_url, status):
    order = demo[status]
    slots = {"order_task": "cancel_order", "order_id": order.order_id, "email": order.email}
    events = await ActionRunOrderTask().run(dispatcher, make_tracker(slots=slots), DOMAIN)
    assert "can't be cancelled" in texts(dispatcher) and "return" in texts(dispatcher)
    assert not any(e.get("name") == "awaiting_confirmation" for e in events)
    assert status_of(shop_url, order.order_id) == status


async def test_packed_order_quotes_the_fee(dispatcher, demo):
    order = demo["packed"]
    slots = {
        "order_task": "check_cancellation_fee",
        "order_id": order.order_id,
        "email": order.email,
    }
    await ActionRunOrderTask().run(dispatcher, make_tracker(slots=slots), DOMAIN)
    assert "€4.95" in texts(dispatcher)


async def test_refund_request_creates_a_record_with_reference(dispatcher, demo, shop_url):
    order = demo["delivered"]
    slots = {"order_task": "get_refund", "order_id": order.order_id, "email": order.email}
    events = await ActionRunOrderTask().run(
        dispatcher, make_tracker(text="the shoes are too small", slots=slots), DOMAIN
    )
    reference = next(e["value"] for e in events if e.get("name") == "refund_reference")
    assert reference.startswith("RF-") and reference in texts(dispatcher)
    with Session(create_engine(shop_url)) as session:
        refund = session.scalars(select(Refund).where(Refund.reference == reference)).one()
    assert refund.order_id == order.order_id


async def test_invoice_before_shipping_is_explained(dispatcher, demo):
    order = demo["paid"]
    slots = {"order_task": "get_invoice", "order_id": order.order_id, "email": order.email}
    await ActionRunOrderTask().run(dispatcher, make_tracker(slots=slots), DOMAIN)
    assert "invoice is issued when the order ships" in texts(dispatcher)


async def test_invoice_after_shipping_is_shown(dispatcher, demo):
    order = demo["delivered"]
    slots = {"order_task": "get_invoice", "order_id": order.order_id, "email": order.email}
    await ActionRunOrderTask().run(dispatcher, make_tracker(slots=slots), DOMAIN)
    assert "Invoice INV-" in texts(dispatcher) and "VAT" in texts(dispatcher)


async def test_address_change_flow_writes_the_new_address(dispatcher, demo, shop_url):
    order = demo["pending"]
    slots = {
        "order_task": "change_shipping_address",
        "order_id": order.order_id,
        "email": order.email,
    }
    events = await ActionRunOrderTask().run(dispatcher, make_tracker(slots=slots), DOMAIN)
    assert FollowupAction("address_form") in events
    with Session(create_engine(shop_url)) as session:
        country = session.get(Order, order.order_id).ship_country
    address = {
        "NL": "Oudegracht 12, 3511 AB Utrecht, Netherlands",
        "BE": "Meir 10, 2000 Antwerpen, Belgium",
        "DE": "Hauptstrasse 5, 10115 Berlin, Germany",
        "FR": "12 rue de Rivoli, 75001 Paris, France",
        "GB": "221B Baker Street, London NW1 6XE, UK",
        "US": "1 Main St, 10001 New York, USA",
    }.get(country, "Oudegracht 12, 3511 AB Utrecht, Netherlands")
    form_tracker = make_tracker(
        text=address,
        slots={**slots, "requested_slot": "new_address"},
        just_set={"new_address": address},
        active_loop="address_form",
    )
    events = await ValidateAddressForm().run(dispatcher, form_tracker, DOMAIN)
    parsed = next(e["value"] for e in events if e.get("name") == "new_address")
    events = await ActionChangeAddressConfirm().run(
        dispatcher, make_tracker(slots={**slots, "new_address": parsed}), DOMAIN
    )
    assert SlotSet("awaiting_confirmation", "change_shipping_address") in events
    await ActionConfirm().run(
        dispatcher,
        make_tracker(
            intent="affirm",
            slots={
                **slots,
                "new_address": parsed,
                "awaiting_confirmation": "change_shipping_address",
            },
        ),
        DOMAIN,
    )
    assert "will now be delivered to" in texts(dispatcher), texts(dispatcher)
    with Session(create_engine(shop_url)) as session:
        assert session.get(Order, order.order_id).ship_line1 == address.split(",")[0]


async def test_unreadable_address_is_asked_again(dispatcher, shop_url):
    tracker = make_tracker(
        text="somewhere nice",
        slots={"requested_slot": "new_address"},
        just_set={"new_address": "somewhere nice"},
        active_loop="address_form",
    )
    events = await ValidateAddressForm().run(dispatcher, tracker, DOMAIN)
    assert SlotSet("new_address", None) in events
    assert "street and house number" in texts(dispatcher)


async def test_database_error_becomes_an_apology(dispatcher, demo, shop_url):
    engine = create_engine(shop_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE order_lines")
    order = demo["shipped"]
    slots = {"order_task": "track_order", "order_id": order.order_id, "email": order.email}
    events = await ActionRunOrderTask().run(dispatcher, make_tracker(slots=slots), DOMAIN)
    assert events == []
    assert [m["text"] for m in dispatcher.messages] == [order_tasks.SHOP_BUSY]


async def test_email_remembered_from_another_order_is_asked_again_quietly(dispatcher, demo):
    first, other = demo["shipped"], demo["paid"]
    assert first.email != other.email
    tracker = make_tracker(
        text=f"I want a refund for {other.order_id}",
        slots={"requested_slot": None, "order_task": "get_refund", "email": first.email},
        just_set={"order_id": other.order_id, "email": first.email},
        active_loop="order_form",
    )
    events = await ValidateOrderForm().run(dispatcher, tracker, DOMAIN)
    assert SlotSet("email", None) in events
    assert not any(e.get("name") == "verification_failures" for e in events)
    assert dispatcher.messages == []
