"""Conversations that change course, end to end over REST with the real Rasa server, the real
action server and a real seeded shop: questions during a form, leaving a task, knowledge
questions the classifier reads as another intent, an upset shopper starting a task."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.commerce.models import Customer, Order
from bot.messages import read_card
from tests.integration.conftest import texts

pytestmark = pytest.mark.integration

ASKS_NUMBER = "what's the order number"


def has_sources(messages: list[dict]) -> bool:
    """True when one of the messages carries the knowledge answer's sources card."""
    cards = [read_card(m) for m in messages]
    return any(card is not None and card["type"] == "sources" for card in cards)


def test_a_question_during_the_form_is_answered_and_the_form_asks_again(talk):
    assert ASKS_NUMBER in texts(talk("track my order"))
    messages = talk("how long does delivery to germany take?")
    answer = texts(messages)
    assert has_sources(messages)
    assert answer.rstrip().endswith(("like a1234, and is in your order confirmation e-mail.",))
    assert answer.count("order number") == 1


def test_never_mind_leaves_the_form_politely(talk):
    assert ASKS_NUMBER in texts(talk("track my order"))
    answer = texts(talk("actually never mind"))
    assert "did you mean" not in answer and "order number" not in answer
    assert "anything else" in answer or "something else" in answer or "what else" in answer
    # The form is gone: a greeting is just a greeting.
    assert "order number" not in texts(talk("hello"))


@pytest.mark.parametrize("stop", ["forget it", "stop", "cancel that"])
def test_other_ways_to_stop_a_task(talk, stop):
    assert ASKS_NUMBER in texts(talk("I want to return something"))
    answer = texts(talk(stop))
    assert "did you mean" not in answer and "order number" not in answer


def test_starting_another_task_mid_form_switches_to_it(talk, demo):
    order = demo["pending"]
    assert ASKS_NUMBER in texts(talk("where is my order?"))
    talk("actually I want to cancel my order")
    talk(order.order_id)
    answer = texts(talk(order.email))
    assert "shall i cancel" in answer


def test_a_task_with_its_number_is_switched_after_asking_once(talk, demo):
    order = demo["pending"]
    assert ASKS_NUMBER in texts(talk("where is my order?"))
    assert "e-mail" in texts(talk(order.order_id))
    asked = texts(talk("actually I want to cancel my order"))
    assert f"you asked me to look up order {order.order_id.lower()}" in asked
    assert "shall i cancel it instead?" in asked
    assert "i'll cancel it instead" in texts(talk("yes"))
    assert "shall i cancel" in texts(talk(order.email))


def test_an_upset_shopper_is_acknowledged_before_the_question(talk):
    answer = texts(talk("I'm so frustrated, my refund still hasn't arrived after 3 weeks"))
    assert not answer.startswith("sure")
    assert "sorry" in answer and "order number" in answer


def test_a_calm_shopper_gets_the_plain_question(talk):
    answer = texts(talk("can you track my order please"))
    assert "sorry" not in answer and ASKS_NUMBER in answer


def test_a_newsletter_question_reaches_the_knowledge_base(talk):
    messages = talk("what kind of content is in your newsletter")
    assert has_sources(messages)


def best_source(messages: list[dict]) -> str | None:
    """The id of the knowledge answer's best source, or None."""
    for card in map(read_card, messages):
        if card is not None and card["type"] == "sources" and card["sources"]:
            return str(card["sources"][0]["id"])
    return None


def test_a_follow_up_about_the_same_product(talk):
    first = talk("is the Larkspur 22L Roll-Top Backpack waterproof?")
    assert best_source(first) == "product:FH-BA-0001"
    second = talk("how much is it?")
    assert best_source(second) == "product:FH-BA-0001"
    assert "89" in texts(second)
    assert "did you mean" not in texts(second)


def test_a_task_and_a_question_in_one_message(talk, demo):
    order = demo["pending"]
    messages = talk(f"cancel order {order.order_id} and how long do refunds take?")
    assert has_sources(messages)
    assert "e-mail" in texts(messages)  # the cancellation goes on: verification
    assert "shall i cancel" in texts(talk(order.email))


def test_a_question_and_a_task_in_one_message(talk):
    messages = talk("where is my order and can I change the address?")
    answer = texts(messages)
    assert has_sources(messages)
    assert ASKS_NUMBER in answer


def test_an_upset_message_about_an_own_order_looks_at_the_order(talk):
    answer = texts(talk("still no sign of my order?? terrible service"))
    assert "sorry" in answer and ASKS_NUMBER in answer


def two_orders_of_one_customer(database_url: str) -> tuple[str, str, str]:
    """A pending order and another order of the same customer: (pending id, other id, e-mail)."""
    engine = create_engine(database_url)
    with Session(engine) as session:
        rows = session.execute(
            select(Order.id, Order.status, Customer.email)
            .join(Customer, Order.customer_id == Customer.id)
            .order_by(Order.id)
        ).all()
    engine.dispose()
    by_email: dict[str, list[tuple[str, str]]] = {}
    for order_id, status, email in rows:
        by_email.setdefault(email, []).append((order_id, str(status)))
    for email, orders in by_email.items():
        pending = [o for o, s in orders if s == "pending"]
        others = [o for o, s in orders if o not in pending[:1]]
        if pending and others:
            return pending[0], others[0], email
    pytest.fail("the seeded shop has no customer with a pending order and another one")


def test_two_order_tasks_in_one_message_run_one_after_the_other(talk, shop_database_url):
    pending, other, email = two_orders_of_one_customer(shop_database_url)
    first = texts(talk(f"cancel order {pending} and tell me where order {other} is"))
    assert "e-mail" in first and pending.lower() in first
    confirm = texts(talk(email))
    assert "shall i cancel" in confirm and pending.lower() in confirm
    # The shopper declines; the second request starts at once for the same verified shopper.
    after = texts(talk("no"))
    assert "haven't changed anything" in after
    _, tracked = after.split(f"now, where your order is for order {other.lower()}:", 1)
    assert f"order {other.lower()} (" in tracked  # its status, items and total
    # Nothing waits any more: a thank-you is just that.
    assert other.lower() not in texts(talk("thanks"))
