"""The knowledge index missing or damaged when the action server starts: the server starts,
``GET /ready`` answers 503 and says why, knowledge questions get a polite "can't look that up
right now" (not silence, not a traceback) and order tasks still work. The actions are called as
Rasa calls them (``POST /webhook`` with the webhook token), so no Rasa server is needed."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from devtools.demo import DemoOrder
from devtools.servers import WEBHOOK_TOKEN, Server, ensure_shop_index, start_action_server

pytestmark = pytest.mark.integration

UNAVAILABLE = "I'm sorry, I can't look that up right now."


def index_folder(kind: str, root: Path) -> Path:
    """An empty folder (``missing``) or a copy of the shop's index with a damaged FAISS file."""
    folder = root / kind
    if kind == "missing":
        folder.mkdir()
    else:
        shutil.copytree(ensure_shop_index(), folder)
        (folder / "index.faiss").write_bytes(b"\x00 damaged on disk \x00" * 64)
    return folder


@pytest.fixture(scope="module", params=["missing", "corrupt"])
def broken_index_server(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    shop_database_url: str,
) -> Iterator[tuple[str, Path, Server]]:
    root = tmp_path_factory.mktemp(f"index-{request.param}")
    folder = index_folder(request.param, root)
    # The composed answers need no model: the server is ready as soon as the index is.
    server = start_action_server(
        root,
        shop_database_url,
        index_dir=folder,
        extra_env={"FERNHILL_ANSWER_MODE": "compose"},
        wait_ready=False,
    )
    yield request.param, folder, server
    server.stop()


def readiness(server: Server) -> requests.Response:
    """``/ready`` once the start-up load has been tried (its index state is no longer
    ``loading``)."""
    deadline = time.monotonic() + 120
    while True:
        answer = requests.get(f"{server.url}/ready", timeout=10)
        if answer.json()["index"] != "loading" or time.monotonic() > deadline:
            return answer
        time.sleep(0.5)


def call_action(server: Server, action: str, text: str, intent: str, slots: dict) -> dict:
    """Runs ``action`` the way Rasa does, after the shopper's ``text``."""
    parse = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": []}
    tracker = {
        "sender_id": "index-fault",
        "slots": slots,
        "latest_message": parse,
        "events": [{"event": "user", "text": text, "parse_data": parse}],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    }
    call = {
        "next_action": action,
        "sender_id": "index-fault",
        "version": "3.6.21",
        "tracker": tracker,
        "domain": {},
    }
    answer = requests.post(
        f"{server.url}/webhook", params={"token": WEBHOOK_TOKEN}, json=call, timeout=60
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_ready_says_why_the_index_is_unavailable(broken_index_server):
    kind, folder, server = broken_index_server
    answer = readiness(server)
    assert answer.status_code == 503
    body = answer.json()
    assert body["ready"] is False and body["index_loaded"] is False
    if kind == "missing":
        assert body["index"] == f"missing: {folder}"
    else:
        assert body["index"].startswith(f"corrupt: {folder}: unreadable index files")
        assert "rebuild the index" in body["index"]
    assert requests.get(f"{server.url}/health", timeout=10).status_code == 200


def test_a_knowledge_question_gets_a_polite_unavailable_reply(broken_index_server):
    _, _, server = broken_index_server
    answer = call_action(
        server, "action_answer_knowledge", "how long does delivery take?", "ask_shipping", {}
    )
    texts = [r.get("text") or "" for r in answer["responses"]]
    assert len(texts) == 1 and texts[0].startswith(UNAVAILABLE), texts
    assert "Traceback" not in texts[0] and "Error" not in texts[0]
    assert any(b["payload"] == "/contact_human_agent" for b in answer["responses"][0]["buttons"])


def test_order_tasks_still_work(broken_index_server, demo: dict[str, DemoOrder]):
    _, _, server = broken_index_server
    order = demo["shipped"]
    slots = {"order_task": "track_order", "order_id": order.order_id, "email": order.email}
    answer = call_action(
        server, "action_run_order_task", "where is my order?", "track_order", slots
    )
    text = " ".join(r.get("text") or "" for r in answer["responses"])
    assert order.order_id in text and "on its way" in text
