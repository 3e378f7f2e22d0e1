"""A message with an order task and a question is cut into both."""

from __future__ import annotations

import pytest

from bot.conversation.several_requests import parts_of, split_requests, task_of

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "task", "question"),
    [
        ("cancel A1004 and how long do refunds take?", "cancel_order", "how long do refunds take?"),
        (
            "where is my order and can I change the address?",
            "track_order",
            "can I change the address?",
        ),
        (
            "how long do refunds take? also cancel my order A1004",
            "cancel_order",
            "how long do refunds take?",
        ),
    ],
)
def test_a_task_and_a_question(text, task, question):
    parts = parts_of(text)
    assert parts is not None
    assert (parts.task, parts.question) == (task, question)


@pytest.mark.parametrize(
    "text",
    [
        "is the Larkspur backpack waterproof?",
        "what is the cost of shipping and handling to spain?",
        "track my order",
        "does this backpack fit a 15 inch laptop and is it waterproof?",
        "",
    ],
)
def test_one_request_is_left_whole(text):
    assert parts_of(text) is None


def test_short_pieces_stay_with_the_previous_part():
    assert split_requests("bread and butter") == ["bread and butter"]


@pytest.mark.parametrize(
    ("part", "task"),
    [
        ("cancel order A1004", "cancel_order"),
        ("where's my parcel", "track_order"),
        ("where is my refund", "track_refund"),
        ("please change my delivery address", "change_shipping_address"),
        ("how long do refunds take", None),
    ],
)
def test_tasks_by_their_words(part, task):
    assert task_of(part) == task
