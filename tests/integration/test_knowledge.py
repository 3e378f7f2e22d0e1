"""The knowledge part end to end: the shop's evaluation set through ``kb eval``, answers over
Rasa's REST channel, and hot reload of the running action server."""

from __future__ import annotations

import json
import re
import subprocess
import threading
from pathlib import Path

import pytest
import requests

from tests.integration.conftest import texts
from tests.integration.servers import APP_PYTHON, ROOT, Server, ensure_shop_index

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def shop_index() -> Path:
    return ensure_shop_index()


@pytest.mark.slow
def test_the_shop_evaluation_set_meets_its_targets(shop_index):
    """Thresholds sit a little under the measured figures (see README): they catch regressions."""
    result = subprocess.run(
        [str(APP_PYTHON), "-m", "bot", "kb", "eval", "evaluation/knowledge_questions.csv",
         "--index", str(shop_index), "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["n"] >= 190
    assert figures["recall_at_5"] >= 0.96
    assert figures["recall_at_1"] >= 0.85
    assert figures["mrr"] >= 0.88
    assert figures["no_answer_precision"] >= 0.90
    assert figures["no_answer_recall"] >= 0.78


def test_a_knowledge_question_is_answered_with_its_source(talk):
    messages = talk("what payment methods do you accept?")
    answer = texts(messages)
    assert "paypal" in answer and "sources: which payment methods do you accept?" in answer
    cards = [m["custom"] for m in messages if m.get("custom")]
    assert cards and cards[0]["data"]["type"] == "sources"
    assert cards[0]["data"]["sources"][0]["id"] == "faq:faq-payment-01"


def test_an_unanswerable_question_gets_an_honest_answer(talk):
    messages = talk("can I pay with gold bars?")
    assert "i don't know that" in texts(messages)
    assert any(b["title"] == "Talk to a person" for m in messages for b in m.get("buttons") or [])


def webhook_call(question: str) -> dict:
    user = {"event": "user", "text": question,
            "parse_data": {"text": question, "intent": {"name": "check_payment_methods", "confidence": 1.0}}}
    return {
        "next_action": "action_answer_knowledge", "sender_id": "reload-test", "version": "3.6.21",
        "tracker": {"sender_id": "reload-test", "slots": {}, "latest_message": user["parse_data"],
                    "events": [user], "paused": False, "followup_action": None, "active_loop": {},
                    "latest_action_name": "action_listen"},
        "domain": {},
    }


def test_reload_needs_the_token_and_never_interrupts_answers(action_server: Server):
    status = requests.get(f"{action_server.url}/knowledge/status", timeout=10).json()
    assert status["index_dir"] == action_server.env["FERNHILL_INDEX_DIR"]
    endpoint = f"{action_server.url}/knowledge/reload"
    missing = requests.post(endpoint, timeout=10)
    assert missing.status_code == 401 and "Bearer" in missing.json()["reason"]
    wrong = requests.post(endpoint, headers={"Authorization": "Bearer wrong"}, timeout=10)
    assert wrong.status_code == 403 and wrong.json()["reason"] == "invalid token"

    token = action_server.env["FERNHILL_ACTION_API_TOKEN"]
    failures: list[str] = []
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            answer = requests.post(f"{action_server.url}/webhook", json=webhook_call("can I pay with klarna?"),
                                   timeout=60)
            text = (answer.json().get("responses") or [{}])[0].get("text") or ""
            if answer.status_code != 200 or "Sources:" not in text:
                failures.append(f"{answer.status_code}: {answer.text[:200]}")

    askers = [threading.Thread(target=ask) for _ in range(2)]
    for thread in askers:
        thread.start()
    try:
        generations = []
        for _ in range(3):
            reloaded = requests.post(endpoint, headers={"Authorization": f"Bearer {token}"}, timeout=120)
            assert reloaded.status_code == 200, reloaded.text
            generations.append(reloaded.json()["generation"])
        cli = subprocess.run(
            [str(APP_PYTHON), "-m", "bot", "kb", "reload", "--url", action_server.url, "--token", token],
            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        )
    finally:
        stop.set()
        for thread in askers:
            thread.join()
    assert failures == []
    assert generations == sorted(generations) and len(set(generations)) == 3
    assert cli.returncode == 0 and re.search(r"reloaded: \d+ passages", cli.stdout), cli.stderr[-1000:]
