"""Publishing a drafted FAQ entry from the dashboard's API with the real web app, MiniLM, an
incremental ``kb build`` on a copy of the shop's knowledge base, and the real action server
asked to reload."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from bot.appdata import get_app_engine, upgrade_app_database
from bot.appdata.knowledge_gaps import add_knowledge_gap
from bot.handoff.models import Role
from bot.knowledge.service import get_holder
from bot.settings import get_settings
from bot.web.app import create_app
from devtools.console import add_agent, sign_in
from devtools.servers import ROOT, Server, ensure_shop_index, free_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]
QUESTION = "Can my parcel be delivered by drone?"
ANSWER = "No: Fernhill Goods delivers with PostNL and DHL, not by drone."


@pytest.fixture()
def knowledge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, action_server: Server
) -> Iterator[Path]:
    """A copy of the shop's knowledge base and index that this test may change."""
    folder = tmp_path / "knowledge_base"
    shutil.copytree(ROOT / "knowledge_base", folder)
    shutil.copytree(ensure_shop_index(), tmp_path / "index")
    monkeypatch.setenv("FERNHILL_KNOWLEDGE_DIR", str(folder))
    monkeypatch.setenv("FERNHILL_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("FERNHILL_ACTION_URL", action_server.url)
    monkeypatch.setenv("FERNHILL_ACTION_API_TOKEN", action_server.env["FERNHILL_ACTION_API_TOKEN"])
    get_settings.cache_clear()
    get_holder.cache_clear()
    yield folder
    get_settings.cache_clear()
    get_holder.cache_clear()


def test_an_admin_publishes_an_edited_draft_and_every_process_answers_from_it(
    knowledge: Path, tmp_path: Path
):
    database = f"sqlite:///{tmp_path / 'app.db'}"
    engine = get_app_engine(database)
    upgrade_app_database(engine)
    with Session(engine) as session, session.begin():
        for question in (QUESTION, "Do you deliver parcels by drone?"):
            add_knowledge_gap(session, question, channel="socketio")
    add_agent(database, "ada.admin@fernhill.example", "Ada", Role.ADMIN)
    app = create_app(f"http://127.0.0.1:{free_port()}", database)
    with TestClient(app) as client:
        anonymous = client.post("/api/console/insights/gaps/1/publish", json={})
        sign_in(client, "ada.admin@fernhill.example")
        client.post("/api/console/insights/gaps/cluster")
        cluster = client.get("/api/console/insights/gaps").json()[0]
        path = f"/api/console/insights/gaps/{cluster['id']}/publish"
        empty = client.post(path, json={"question": QUESTION, "answer": " "})
        published = client.post(path, json={"question": QUESTION, "answer": ANSWER})
        again = client.post(path, json={"question": QUESTION, "answer": ANSWER})
        left = client.get("/api/console/insights/gaps").json()

    assert anonymous.status_code == 401
    assert empty.status_code == 422 and "answer is empty" in empty.json()["detail"]
    assert published.status_code == 200, published.text
    body = published.json()
    assert body["faq_id"] == "faq-insights-01"
    assert 1 <= body["embedded"] <= 3  # the new passage (and its question), nothing else
    assert body["action_server"].startswith("reloaded:")
    assert again.status_code == 404 and [c["id"] for c in left] == []
    with (knowledge / "faq.csv").open(encoding="utf-8", newline="") as handle:
        last = list(csv.DictReader(handle))[-1]
    assert last == {"id": "faq-insights-01", "question": QUESTION, "answer": ANSWER}
    found = get_holder().get().retrieve("do you deliver by drone?", k=1)
    assert found and found[0].passage.id == "faq:faq-insights-01"
    assert (ROOT / "knowledge_base" / "faq.csv").read_text(encoding="utf-8").count(
        "faq-insights-"
    ) == 0
