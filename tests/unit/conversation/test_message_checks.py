import pytest

from bot.conversation.message_checks import MessageProblem, clean_text, find_problem

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", MessageProblem.EMPTY),
        ("   \n\t ", MessageProblem.EMPTY),
        (None, MessageProblem.EMPTY),
        ("\x00\x07\x1b", MessageProblem.EMPTY),
        ("😀🎉👍", MessageProblem.NO_WORDS),
        ("?!?!...", MessageProblem.NO_WORDS),
        ("where is my order " * 600, MessageProblem.TOO_LONG),
        ("Wo ist meine Bestellung, ich warte schon seit Tagen", MessageProblem.NOT_ENGLISH),
        ("我的订单在哪里", MessageProblem.NOT_ENGLISH),
        ("где мой заказ", MessageProblem.NOT_ENGLISH),
    ],
)
def test_problem_messages_are_recognised(text, problem):
    assert find_problem(text) is problem


@pytest.mark.parametrize(
    "text",
    [
        "where is my order A1234",
        "refund pls",
        "<b>hi</b> can you help",
        "A1234",
        "merci",
        "i want 2 cancel my ordr!!!",
        "hi\x00 there",
    ],
)
def test_normal_messages_pass(text):
    assert find_problem(text) is None


def test_clean_text_removes_control_characters_and_keeps_words():
    assert clean_text("hi\x00\x07 there\n\nfriend ") == "hi there friend"
