"""The fuzz benchmark's own parts: its messages cover every kind and repeat odd ones, and its
verdicts on a turn (server error, empty, loop) are the ones the benchmark reports."""

import random

import pytest

from benchmarks.fuzz import MAKERS, ODD, Turn, conversation, figures

pytestmark = pytest.mark.unit


def test_the_messages_cover_every_kind_repeat_odd_ones_and_follow_the_seed():
    plans = [conversation(random.Random(seed)) for seed in range(300)]
    kinds = {kind for plan in plans for kind, _ in plan}
    repeated = {plan[i][0] for plan in plans for i in range(1, len(plan)) if plan[i] == plan[i - 1]}
    assert kinds == set(MAKERS)
    assert len(repeated & set(ODD)) >= 10
    assert conversation(random.Random(5)) == conversation(random.Random(5))
    assert any(len(text) >= 10_000 for plan in plans for _, text in plan)


def test_each_turn_is_judged_as_the_benchmark_reports_it():
    hello = {"text": "Hello! How can I help?"}
    turns = [
        Turn("emoji", 200, 0.1, [hello]),
        Turn("empty", 200, 0.1, []),  # silent: an empty turn
        Turn("empty", 200, 0.1, [], paused=True),  # a person has it: not empty
        Turn("sql", 500, 0.1),  # a server error
        Turn("html", None, 60.0),  # no answer in time: a server error
        Turn("emoji", 200, 0.2, [hello, {"text": "Sorry?"}, hello]),  # a text twice: a loop
        Turn("json", 200, 0.2, [{"text": f"part {i}"} for i in range(8)]),  # 8 messages: a loop
        Turn("numbers", 200, 0.1, [{"image": "x.png"}, {"image": "x.png"}]),  # no texts twice
    ]
    out = figures(turns)
    assert (out["server_errors"], out["empty_turns"], out["loops"]) == (2, 1, 2)
    assert out["paused_silent_turns"] == 1 and out["messages"] == 8
    assert out["failed"] == {
        "empty:empty": 1,
        "loop:emoji": 1,
        "loop:json": 1,
        "server_error:html": 1,
        "server_error:sql": 1,
    }
