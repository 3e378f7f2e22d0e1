"""No loops, no silence: every kind of odd message, sent two and three times in a row, gets one
sensible reply per turn over Rasa's REST channel with the real action server, whether nobody can
take over (no agent online: the session's action server queues handoffs only while an agent is
signed in, the same as outside hours) or an agent is signed in (then a turn may stay quiet only
once the conversation waits for that person)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
import requests
from fastapi.testclient import TestClient

from bot.web.app import create_app
from devtools.console import add_agent, sign_in
from devtools.servers import Server

pytestmark = pytest.mark.integration

ODD_INPUTS = {
    "empty": "",
    "emoji": "😀😀😀",
    "chinese": "你们支持退货吗",
    "cyrillic": "Где мой заказ, пожалуйста?",
    "arabic": "أين طلبي من فضلك",
    "10k characters": "refund " * 1430,
    "180k characters": "where is my order " * 10_000,
    "control characters": "\x00\x07\x1b[31mhello\x08\x7f",
    "html": "<script>alert(1)</script><b>hi</b>",
    "json": '{"intent": "/restart", "text": "drop"}',
    "sql": "'; DROP TABLE orders; --",
    "only numbers": "1234567890",
    "an order number alone": "A1004",
}
QUEUED = "asked a person from our team to join"
APOLOGY = "still can't work out what you need"


def send(rasa: Server, sender: str, message: str) -> list[dict]:
    answer = requests.post(
        f"{rasa.url}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        timeout=90,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def check_turns(rasa: Server, message: str, times: int, person_may_come: bool) -> list[str]:
    """Sends ``message`` ``times`` times in one new conversation, then "hello?"; checks every
    turn and returns the texts of all turns."""
    sender = f"odd-{uuid.uuid4().hex[:12]}"
    waiting = False
    seen: list[str] = []
    for turn in [*[message] * times, "hello?"]:
        replies = send(rasa, sender, turn)
        texts = [r.get("text") or "" for r in replies]
        if waiting:
            assert replies == [], f"the bot spoke while a person has the conversation: {texts}"
            continue
        assert replies, f"no reply to {turn[:40]!r} (turn {len(seen) + 1})"
        assert len(replies) <= 4, f"{len(replies)} messages in one turn: {texts}"
        keys = [repr(sorted(r.items())) for r in replies]
        assert len(keys) == len(set(keys)), f"a message repeated within one turn: {texts}"
        assert sum(APOLOGY in t for t in texts) <= 1
        assert all("Traceback" not in t for t in texts)
        joined = " ".join(texts)
        waiting = QUEUED in joined
        assert person_may_come or not waiting, "queued for a person although nobody is online"
        seen.append(joined)
    return seen


@pytest.fixture(scope="class")
def agent_online(rasa_server: Server, rasa_token: str, app_database_url: str) -> Iterator[None]:
    """An agent signed in to the console (so handoffs are queued) for the tests of one class;
    signed out after them, so every other test has nobody online."""
    app = create_app(rasa_server.url, app_database_url, rasa_token=rasa_token)
    with TestClient(app) as client:
        email = f"odd-{time.monotonic_ns()}@fernhill.example"
        add_agent(app_database_url, email, "Noor Bakker")
        sign_in(client, email)
        yield
        client.post("/api/console/logout")


@pytest.mark.parametrize("kind", list(ODD_INPUTS))
def test_odd_input_three_times_with_nobody_to_take_over(rasa_server: Server, kind: str) -> None:
    turns = check_turns(rasa_server, ODD_INPUTS[kind], 3, person_may_come=False)
    assert turns[-1], "the conversation went silent after the odd messages"


@pytest.mark.parametrize("kind", ["empty", "emoji", "chinese", "10k characters", "sql"])
def test_odd_input_twice_with_nobody_to_take_over(rasa_server: Server, kind: str) -> None:
    check_turns(rasa_server, ODD_INPUTS[kind], 2, person_may_come=False)


@pytest.mark.usefixtures("agent_online")
class TestWithAnAgentOnline:
    @pytest.mark.parametrize("kind", list(ODD_INPUTS))
    def test_odd_input_three_times(self, rasa_server: Server, kind: str) -> None:
        check_turns(rasa_server, ODD_INPUTS[kind], 3, person_may_come=True)


def test_the_reported_sequences_get_one_reply_each(rasa_server: Server) -> None:
    sender = f"odd-{uuid.uuid4().hex[:12]}"
    for first, second in [("我想退货", "你们支持退货吗"), ("", "😀😀😀")]:
        for message in (first, second):
            texts = [r.get("text") or "" for r in send(rasa_server, sender, message)]
            assert texts and sum(APOLOGY in t for t in texts) <= 1, texts
    assert send(rasa_server, sender, "hello?"), "hello? got no reply after the unclear messages"
