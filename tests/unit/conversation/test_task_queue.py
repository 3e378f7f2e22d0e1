"""Two order tasks in one message: the first runs, the second waits for it."""

from __future__ import annotations

import pytest

from bot.conversation.several_requests import order_tasks_in
from bot.conversation.task_queue import (
    NEXT_ORDER_ID,
    NEXT_ORDER_TASK,
    first_task,
    next_task,
    own_order_id,
)

pytestmark = pytest.mark.unit

TWO = "cancel order A1004 and tell me where order A1005 is"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (TWO, [("cancel_order", "A1004"), ("track_order", "A1005")]),
        (
            "where is my order A1002? also cancel A1003",
            [("track_order", "A1002"), ("cancel_order", "A1003")],
        ),
        (
            "I want to return order a-1001 and I want a refund for #A1006",
            [("return_item", "A1001"), ("get_refund", "A1006")],
        ),
        ("cancel A1004 and track my order", [("cancel_order", "A1004"), ("track_order", None)]),
    ],
)
def test_two_tasks_are_found_in_the_order_asked(text, expected):
    assert [(t.task, t.order_id) for t in order_tasks_in(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "cancel A1004 and how long do refunds take?",
        "where is my order and can I change the address?",
        "track my order",
        "where do I find my order number and how long does delivery take?",
        "",
    ],
)
def test_one_task_or_none_queues_nothing(text):
    assert order_tasks_in(text) == []
    task, queued = first_task(text, "track_order")
    assert task == "track_order"
    assert queued == {NEXT_ORDER_TASK: None, NEXT_ORDER_ID: None}


def test_the_first_task_runs_and_the_second_waits():
    task, queued = first_task(TWO, "track_order")
    assert task == "cancel_order"
    assert queued == {NEXT_ORDER_TASK: "track_order", NEXT_ORDER_ID: "A1005", "order_id": "A1004"}


def test_the_last_number_of_the_message_is_given_back_to_the_first_task():
    # Rasa fills order_id with the message's last order number, the waiting task's.
    assert own_order_id("A1005", TWO, "A1005") == "A1004"
    assert own_order_id("A1004", TWO, "A1005") == "A1004"
    assert own_order_id("A1005", "A1005", None) == "A1005"
    assert own_order_id("A1005", "it's A1005", "A1005") == "A1005"


def test_the_waiting_task_runs_at_once_when_the_shopper_is_verified():
    slots = {NEXT_ORDER_TASK: "track_order", NEXT_ORDER_ID: "A1005", "email": "a@example.com"}
    following = next_task(slots, {}, None)
    assert following is not None
    assert following.followup == "action_run_order_task"
    assert following.slots["order_id"] == "A1005"
    assert following.slots["order_task"] == "track_order"
    assert following.slots[NEXT_ORDER_TASK] is None
    assert "A1005" in following.text


def test_the_waiting_task_asks_for_its_order_when_it_named_none():
    following = next_task({NEXT_ORDER_TASK: "get_invoice", "email": "a@example.com"}, {}, None)
    assert following is not None
    assert following.followup == "order_form"
    assert following.slots["order_id"] is None
    assert following.text == "Now, your invoice."


@pytest.mark.parametrize(
    ("reply_slots", "followup"),
    [
        ({"awaiting_confirmation": "cancel_order"}, None),  # the first waits for a yes or no
        ({}, "address_form"),
        ({}, "action_handoff"),
    ],
)
def test_the_waiting_task_waits_while_the_first_is_not_over(reply_slots, followup):
    slots = {NEXT_ORDER_TASK: "track_order", NEXT_ORDER_ID: "A1005", "email": "a@example.com"}
    assert next_task(slots, reply_slots, followup) is None


def test_nothing_waits():
    assert next_task({"email": "a@example.com"}, {}, None) is None
