"""The message trimmer (Rasa side; run with .venv-rasa): a huge message reaches the NLU cut to
a size DIET can read, still long enough for the message guard to answer it as too long."""

from __future__ import annotations

import pytest

pytest.importorskip("rasa", reason="Rasa-side test: run with .venv-rasa/bin/python")

from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer  # noqa: E402
from rasa.shared.nlu.constants import TEXT  # noqa: E402
from rasa.shared.nlu.training_data.message import Message  # noqa: E402
from rasa.shared.nlu.training_data.training_data import TrainingData  # noqa: E402

from bot.conversation.message_checks import MessageProblem, find_problem  # noqa: E402
from rasa_components.message_trimmer import KEPT_CHARS, MessageTrimmer  # noqa: E402

pytestmark = pytest.mark.unit


def trimmer() -> MessageTrimmer:
    return MessageTrimmer.create({}, None, None, None)  # type: ignore[arg-type]


def test_a_huge_message_is_cut_and_still_answered_as_too_long() -> None:
    huge = "where is my order " * 10_000  # 180,000 characters, 40,000 words
    (message,) = trimmer().process([Message({TEXT: huge})])
    assert message.get(TEXT) == huge[:KEPT_CHARS]
    assert find_problem(message.get(TEXT)) is MessageProblem.TOO_LONG
    tokenizer = WhitespaceTokenizer.create(
        WhitespaceTokenizer.get_default_config(),
        None,
        None,
        None,  # type: ignore[arg-type]
    )
    (tokenized,) = tokenizer.process([message])
    assert len(tokenized.get("text_tokens")) < 1000


@pytest.mark.parametrize("text", ["", "where is my order A1004?", "x" * KEPT_CHARS])
def test_other_messages_pass_unchanged(text: str) -> None:
    (message,) = trimmer().process([Message({TEXT: text})])
    assert message.get(TEXT) == text


def test_training_data_passes_unchanged() -> None:
    data = TrainingData([Message({TEXT: "hello", "intent": "greet"})])
    assert trimmer().process_training_data(data) is data
