"""Knowledge replies: follow-ups, trimming, the sources card, the honest 'I don't know'."""

from __future__ import annotations

import pytest

from bot.conversation.knowledge_answers import (
    answer_question,
    contextual_query,
    is_follow_up,
    source_card,
    trim,
)
from bot.knowledge.errors import IndexNotFoundError
from bot.knowledge.passages import Passage

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "message", ["and for express?", "What about the UK?", "or by DHL", "how about Belgium"]
)
def test_short_messages_leaning_on_the_previous_one_are_follow_ups(message):
    assert is_follow_up(message)
    assert contextual_query(message, "how much is shipping to germany?").startswith(
        "how much is shipping"
    )


@pytest.mark.parametrize(
    "message",
    [
        "how much is express shipping?",
        "and then I would like to know everything about returning shoes that I wore outside once",
    ],
)
def test_full_questions_stand_alone(message):
    assert not is_follow_up(message)
    assert contextual_query(message, "earlier question") == message


def test_trim_keeps_whole_sentences_and_marks_the_cut():
    text = "First sentence here. " * 10 + "\n\n| a | b |"
    trimmed = trim(text, limit=100)
    assert trimmed.endswith("here. …") and len(trimmed) <= 102
    assert trim("Short answer.") == "Short answer."
    assert trim("x" * 30 + " " + "y" * 300, limit=50).endswith(" …")


def test_source_card_lists_id_title_and_url():
    passage = Passage(
        id="faq:1",
        text="Yes.",
        title="Do you ship?",
        source="faq.csv",
        kind="faq",
        url="https://fernhill-goods.example/help/faq#1",
    )
    assert source_card([passage]) == {
        "type": "sources",
        "sources": [
            {
                "id": "faq:1",
                "title": "Do you ship?",
                "url": "https://fernhill-goods.example/help/faq#1",
            }
        ],
    }


class MissingIndex:
    def retrieve(self, query: str, k: int = 5):
        raise IndexNotFoundError("no knowledge index in var/index")


def test_a_missing_index_gets_a_polite_reply_and_a_person():
    reply = answer_question("do you ship to spain?", retriever=MissingIndex())
    assert "can't look that up right now" in reply.text
    assert [b.title for b in reply.buttons] == ["Talk to a person"]
