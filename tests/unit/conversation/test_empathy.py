"""An upset shopper's order task opens with an acknowledgement; a calm one's does not."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.conversation.empathy import ASK_NUMBER, acknowledgement, ask_order_number, sounds_upset

pytestmark = pytest.mark.unit

MOODS = Path(__file__).resolve().parents[3] / "evaluation" / "task_moods.csv"


def test_the_frustrated_refund_gets_an_acknowledgement_about_the_refund():
    reply = ask_order_number(
        "I'm so frustrated, my refund still hasn't arrived after 3 weeks", "track_refund"
    )
    assert reply is not None
    assert "refund" in reply.lower() and "sorry" in reply.lower()
    assert reply.endswith(ASK_NUMBER)
    assert not reply.startswith("Sure")


def test_an_angry_parcel_question_is_about_the_parcel():
    reply = ask_order_number("you guys are useless, where is my parcel??", "track_order")
    assert reply is not None and ("parcel" in reply or "order" in reply)


@pytest.mark.parametrize(
    "text",
    ["where is my order", "I'd like to cancel my order", "has my refund been processed yet", ""],
)
def test_calm_messages_get_the_plain_question(text):
    assert not sounds_upset(text)
    assert ask_order_number(text, "track_order") is None


def test_the_wording_varies_between_messages_and_not_within_one():
    texts = [
        "still no refund?? this is a joke",
        "I'm fed up waiting, my package never came",
        "this is ridiculous, I've been waiting two weeks for my package",
        "my order is late again, so disappointing",
        "worst service ever, I want to cancel",
    ]
    replies = [acknowledgement(t, "track_order") for t in texts]
    assert len(set(replies)) >= 4
    assert acknowledgement(texts[0], "track_order") == replies[0]


def test_the_labelled_development_messages():
    rows = [r for r in csv.DictReader(MOODS.open(encoding="utf-8")) if r["split"] == "dev"]
    upset = [r for r in rows if r["label"] == "upset"]
    calm = [r for r in rows if r["label"] == "calm"]
    assert len(upset) >= 10 and len(calm) >= 10
    acknowledged = sum(ask_order_number(r["text"], r["task"]) is not None for r in upset)
    over = sum(ask_order_number(r["text"], r["task"]) is not None for r in calm)
    assert acknowledged / len(upset) >= 0.9
    assert over / len(calm) <= 0.1
