"""A reply generator that raises or hangs: the shopper still gets the passage's answer, within
the time limit plus the grace, and a hung model does not hold up the next questions."""

from __future__ import annotations

import threading
import time

import pytest

from bot.generation.answering import AnswerConfig, Answerer
from bot.generation.bounded import GRACE_S
from bot.generation.generator import Generation
from tests.unit.generation.test_answering import SHIPPING, FixedRetriever

pytestmark = pytest.mark.unit

LIMIT = 0.5
PASSAGE_START = "Standard shipping in the Netherlands costs €3.95"


class RaisingGenerator:
    name = "raising"

    def generate(self, messages, *, max_new_tokens: int, time_limit_s: float) -> Generation:
        raise RuntimeError("CUDA error: device-side assert triggered")


class HangingGenerator:
    """Never answers until released (a stuck model); counts the calls it got."""

    name = "hanging"

    def __init__(self) -> None:
        self.release = threading.Event()
        self.calls = 0

    def generate(self, messages, *, max_new_tokens: int, time_limit_s: float) -> Generation:
        self.calls += 1
        self.release.wait(60)
        return Generation("Shipping costs €3.95.", 5, 60.0)


def ask(generator) -> tuple[object, float]:
    answerer = Answerer(FixedRetriever(SHIPPING), generator, AnswerConfig(time_limit_s=LIMIT))
    started = time.perf_counter()
    answer = answerer.answer("how much is shipping to the netherlands?")
    return answer, time.perf_counter() - started


def test_a_raising_generator_gives_the_passage_answer_at_once():
    answer, seconds = ask(RaisingGenerator())
    assert answer.text.startswith(PASSAGE_START) and answer.sources == [SHIPPING]
    assert answer.fallback and not answer.refused and answer.generated is None
    assert seconds < LIMIT


def test_a_hanging_generator_gives_the_passage_answer_within_the_limit_and_is_not_asked_again():
    hanging = HangingGenerator()
    try:
        answer, seconds = ask(hanging)
        assert answer.text.startswith(PASSAGE_START) and answer.fallback
        assert LIMIT <= seconds < LIMIT + GRACE_S + 0.5
        # Still stuck: the next question is answered from the passage at once.
        answer, seconds = ask(hanging)
        assert answer.text.startswith(PASSAGE_START) and seconds < LIMIT
        assert hanging.calls == 1
    finally:
        hanging.release.set()
