"""Another order task in the middle of one: asked once when the first would be dropped."""

from __future__ import annotations

import pytest

from bot.conversation.task_switch import SWITCH_SLOT, decide_switch, switched

pytestmark = pytest.mark.unit


def test_a_task_with_its_number_is_not_dropped_without_asking():
    switch = decide_switch("track_order", "cancel_order", "A1004", None, form_active=True)
    assert switch.task == "track_order"
    assert switch.reply is not None
    assert switch.reply.text == "You asked me to look up order A1004. Shall I cancel it instead?"
    assert [b.payload for b in switch.reply.buttons] == ["/affirm", "/track_order"]
    assert switch.reply.slots == {SWITCH_SLOT: "cancel_order"}


@pytest.mark.parametrize(
    ("current", "order_id", "asked", "active"),
    [
        ("track_order", None, None, True),  # nothing given yet: nothing is lost
        ("track_order", "A1004", "cancel_order", True),  # asked once already: the shopper insists
        ("track_order", "A1004", None, False),  # no form running
        (None, "A1004", None, True),
        ("cancel_order", "A1004", None, True),  # the same task again
    ],
)
def test_the_switch_happens_at_once(current, order_id, asked, active):
    switch = decide_switch(current, "cancel_order", order_id, asked, form_active=active)
    assert switch.task == "cancel_order"
    assert switch.reply is not None and not switch.reply.text
    assert switch.reply.slots == {SWITCH_SLOT: None}


def test_yes_switches_and_no_carries_on():
    yes = switched("cancel_order", affirmed=True)
    assert yes is not None
    assert yes.text == "Okay, I'll cancel it instead."
    assert yes.slots["order_task"] == "cancel_order" and yes.slots[SWITCH_SLOT] is None
    assert yes.followup == "order_form"
    no = switched("cancel_order", affirmed=False)
    assert no is not None and "order_task" not in no.slots and no.followup == "order_form"
    assert switched(None, affirmed=True) is None
