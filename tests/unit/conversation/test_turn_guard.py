"""The turn guard: no message twice in one turn, and a looping turn ends by listening."""

from __future__ import annotations

import pytest

from bot.conversation.turn_guard import LISTEN_EVENT, guard_answer, message_key, turn_so_far

pytestmark = pytest.mark.unit

SORRY = "I'm sorry, I still can't work out what you need."


def user(text: str) -> dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": "nlu_fallback"}}}


def action(name: str) -> dict:
    return {"event": "action", "name": name}


def bot(text: str, **metadata: str) -> dict:
    return {"event": "bot", "text": text, "metadata": metadata}


def test_the_turn_starts_at_the_latest_user_message():
    events = [user("a"), action("x"), bot("old"), action("action_listen"), user("b"), action("y")]
    turn = turn_so_far(events)
    assert turn.actions == ["y"] and not turn.replied


def test_a_template_response_and_its_rendered_bot_event_are_the_same_message():
    assert message_key({"response": "utter_error"}) == message_key(
        bot("Sorry, something went wrong", utter_action="utter_error")
    )
    assert message_key({"text": "a"}) != message_key({"text": "b"})


def test_a_message_already_sent_in_this_turn_is_not_sent_again_and_the_turn_ends():
    tracker = [user("你们支持退货吗"), action("action_answer_or_clarify"), bot(SORRY)]
    events, messages = guard_answer(
        tracker,
        "action_default_fallback",
        [{"event": "followup", "name": "action_two_stage_fallback"}],
        [{"text": SORRY}],
    )
    assert messages == [] and events == [LISTEN_EVENT]


def test_new_messages_pass_and_repeats_are_dropped():
    tracker = [user("hi"), action("action_greet"), bot("Hello")]
    events, messages = guard_answer(
        tracker, "action_x", [], [{"text": "Hello"}, {"text": "How can I help?"}]
    )
    assert messages == [{"text": "How can I help?"}] and events == []


def test_an_action_that_already_ran_twice_in_the_turn_ends_it_silently_after_a_reply():
    tracker = [user("😀😀😀")]
    tracker += [action("action_answer_or_clarify"), bot("Which one?", utter_action="utter_x")]
    tracker += [action("action_answer_or_clarify")]
    followup = {"event": "followup", "name": "action_two_stage_fallback"}
    slot = {"event": "slot", "name": "s", "value": 1}
    events, messages = guard_answer(
        tracker, "action_answer_or_clarify", [slot, followup], [{"text": "new"}]
    )
    assert events == [slot, LISTEN_EVENT] and messages == []


def test_a_looping_turn_without_a_reply_keeps_its_message():
    tracker = [user("x")] + [action(f"action_{n}") for n in range(8)]
    events, messages = guard_answer(tracker, "action_c", [], [{"text": "Sorry?"}])
    assert events == [LISTEN_EVENT] and messages == [{"text": "Sorry?"}]


def test_a_long_turn_of_responses_is_not_a_loop():
    tracker = [user("x")] + [action(f"utter_{n}") for n in range(12)] + [action("action_a")]
    assert guard_answer(tracker, "action_b", [], [{"text": "ok"}]) == ([], [{"text": "ok"}])


def test_an_ordinary_turn_is_left_alone():
    tracker = [user("where is my order"), action("order_form")]
    answer = [{"event": "slot", "name": "order_task", "value": "track"}]
    assert guard_answer(tracker, "action_set_order_task", answer, []) == (answer, [])
