"""The team's hours and what the shopper is told when asking for a person."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.handoff.announcements import acknowledge_handoff, agents_available, reserved_task_reply

pytestmark = pytest.mark.unit
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.mark.parametrize(
    ("when", "open_"),
    [
        (datetime(2026, 11, 23, 10, 0, tzinfo=AMS), True),  # Monday morning
        (datetime(2026, 11, 23, 18, 0, tzinfo=AMS), False),  # Monday closing time
        (datetime(2026, 11, 28, 15, 59, tzinfo=AMS), True),  # Saturday afternoon
        (datetime(2026, 11, 28, 16, 30, tzinfo=AMS), False),
        (datetime(2026, 11, 22, 12, 0, tzinfo=AMS), False),  # Sunday
        (datetime(2026, 11, 23, 8, 30, tzinfo=ZoneInfo("UTC")), True),  # 09:30 in Utrecht
    ],
)
def test_agent_hours(when, open_):
    assert agents_available(when) is open_


def test_handoff_reply_is_honest_about_hours():
    closed = acknowledge_handoff(datetime(2026, 11, 22, 12, 0, tzinfo=AMS))
    assert "nobody is available just now" in closed and "support@fernhill-goods.example" in closed
    open_ = acknowledge_handoff(datetime(2026, 11, 23, 10, 0, tzinfo=AMS))
    assert "available right now" in open_ and "+31 30 555 0142" in open_


def test_a_reserved_task_is_named_with_a_capital():
    text = reserved_task_reply("a refund of €300.00")
    assert text == "A refund of €300.00 needs a person from our team, so I'll pass you on."
