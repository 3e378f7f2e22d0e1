"""End to end over the REST channel: the real Rasa server, the real action server, a real
seeded SQLite shop. Each test is one shopper's conversation."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.commerce.models import Order, Refund
from tests.integration.conftest import texts

pytestmark = pytest.mark.integration


def order_status(database_url: str, order_id: str) -> str:
    with Session(create_engine(database_url)) as session:
        return str(session.get(Order, order_id).status)


def test_greet(talk):
    answer = texts(talk("hello"))
    assert "fernhill goods assistant" in answer or "welcome to fernhill goods" in answer


def test_track_order_over_several_turns_with_verification(talk, demo):
    order = demo["shipped"]
    asked = texts(talk("where is my order?"))
    assert "order number" in asked
    asked = texts(talk(order.order_id))
    assert "e-mail" in asked and order.order_id.lower() in asked
    # A wrong e-mail is refused and nothing about the order is shown.
    refused = texts(talk("someone.else@example.com"))
    assert "doesn't match" in refused
    assert "carrier" not in refused and "tracking" not in refused
    answer = texts(talk(order.email))
    assert order.order_id.lower() in answer and "on its way" in answer
    assert "tracking number" in answer and "expected delivery" in answer


def test_cancel_pending_order_changes_the_database(talk, shop_database_url, demo):
    order = demo["pending"]
    assert order_status(shop_database_url, order.order_id) == "pending"
    answer = texts(talk(f"I want to cancel order {order.order_id}"))
    assert "e-mail" in answer
    answer = texts(talk(f"it's {order.email}"))
    assert "free of charge" in answer and "shall i cancel" in answer
    assert order_status(shop_database_url, order.order_id) == "pending"  # not before "yes"
    answer = texts(talk("yes"))
    assert f"order {order.order_id.lower()} is cancelled" in answer
    assert order_status(shop_database_url, order.order_id) == "cancelled"


def test_cancel_shipped_order_is_refused_with_the_reason(talk, shop_database_url, demo):
    order = demo["shipped"]
    talk(f"cancel my order {order.order_id} please")
    answer = texts(talk(order.email))
    assert "already shipped" in answer and "return" in answer
    assert order_status(shop_database_url, order.order_id) == "shipped"


def test_refund_request_creates_a_record(talk, shop_database_url, demo):
    order = demo["delivered"]
    talk(f"I'd like a refund for {order.order_id}, the jacket was too small")
    answer = texts(talk(order.email))
    assert "rf-" in answer
    with Session(create_engine(shop_database_url)) as session:
        refunds = session.scalars(select(Refund).where(Refund.order_id == order.order_id)).all()
    assert refunds and any(r.reference.lower() in answer for r in refunds)


def test_human_request_is_acknowledged(talk):
    answer = texts(talk("I want to talk to a human"))
    assert "our team" in answer and "support@fernhill-goods.example" in answer


@pytest.mark.parametrize(
    "message",
    [
        "",
        "x" * 10_000,
        "🙂🙂🙂",
        "Wo ist meine Bestellung? Ich warte schon seit zwei Wochen darauf.",
        "<script>alert(1)</script><img src=x onerror=alert(1)>",
        "hello\x00\x07\x1b[31m there",
    ],
    ids=["empty", "10k-chars", "emoji-only", "german", "markup", "control-chars"],
)
def test_bad_input_gets_a_polite_reply(talk, message):
    answer = talk(message)
    assert answer, "the assistant must always answer"
    assert all(m.get("text") or m.get("buttons") or m.get("custom") for m in answer)


def test_unknown_and_malformed_order_numbers_get_clear_messages(talk):
    talk("track my order")
    assert "doesn't look like one of our order numbers" in texts(talk("order 12"))
    assert "couldn't find an order a9999" in texts(talk("A9999"))


def test_change_delivery_address_writes_the_database(talk, shop_database_url, demo):
    order = demo["paid"]
    talk(f"I need to change the delivery address of order {order.order_id}")
    answer = texts(talk(order.email))
    assert "new delivery address" in answer
    assert "postcode" in texts(talk("somewhere nice"))  # unreadable: asked again with the reason
    with Session(create_engine(shop_database_url)) as session:
        country = session.get(Order, order.order_id).ship_country
    new_address = {
        "NL": "Oudegracht 12, 3511 AB Utrecht, Netherlands",
        "BE": "Meir 10, 2000 Antwerpen, Belgium",
        "DE": "Hauptstrasse 5, 10115 Berlin, Germany",
        "FR": "12 rue de Rivoli, 75001 Paris, France",
        "GB": "221B Baker Street, London NW1 6XE, UK",
        "US": "1 Main St, 10001 New York, USA",
    }.get(country, "Oudegracht 12, 3511 AB Utrecht, Netherlands")
    answer = texts(talk(new_address))
    assert "change the delivery address of order" in answer
    assert "will now be delivered to" in texts(talk("yes please"))
    with Session(create_engine(shop_database_url)) as session:
        assert session.get(Order, order.order_id).ship_line1 == new_address.split(",")[0]
