"""A small sample of the fuzz benchmark (``benchmarks/fuzz.py``) through the real Rasa and
action servers: random and adversarial messages, odd ones repeated, and not one server error,
empty turn or loop. The 10,000-message run is the benchmark."""

import pytest

from benchmarks.fuzz import figures, run_fuzz
from devtools.servers import Server

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_a_sample_of_odd_messages_gets_one_sensible_reply_per_turn(
    rasa_server: Server, rasa_token: str
):
    turns = run_fuzz(rasa_server.url, rasa_token, messages=60, seed=7, workers=2)
    out = figures(turns)
    assert len(out["by_kind"]) >= 10  # the sample covers most kinds of odd input
    assert (out["server_errors"], out["empty_turns"], out["loops"]) == (0, 0, 0), out["failed"]
