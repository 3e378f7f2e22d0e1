"""``/api/console/insights/gaps`` with the real MiniLM and the shop's index: group, draft, fix."""

import pytest
from sqlalchemy.orm import Session

from bot.appdata import get_app_engine, upgrade_app_database
from bot.appdata.knowledge_gaps import add_knowledge_gap
from bot.handoff.models import Role
from devtools.console import add_agent, sign_in

pytestmark = [pytest.mark.integration, pytest.mark.slow]
QUESTIONS = [
    "How much does shipping to the Netherlands cost?",
    "What does delivery to the Netherlands cost?",
    "Do you sell gift cards?",
]


def test_admin_groups_drafts_and_fixes_a_gap(client, app_database_url):
    engine = get_app_engine(app_database_url)
    upgrade_app_database(engine)
    with Session(engine) as session, session.begin():
        for question in QUESTIONS:
            add_knowledge_gap(session, question, channel="socketio")
    add_agent(app_database_url, "ada.admin@fernhill.example", "Ada", Role.ADMIN)
    sign_in(client, "ada.admin@fernhill.example")

    grouped = client.post("/api/console/insights/gaps/cluster")
    clusters = client.get("/api/console/insights/gaps").json()
    shipping = clusters[0]
    drafted = client.post(f"/api/console/insights/gaps/{shipping['id']}/draft")
    fixed = client.post(f"/api/console/insights/gaps/{shipping['id']}/fixed")
    again = client.post(f"/api/console/insights/gaps/{shipping['id']}/fixed")
    left = client.get("/api/console/insights/gaps").json()

    assert grouped.json() == {"placed": 3}
    assert [(c["label"], c["size"]) for c in clusters] == [
        ("How much does shipping to the Netherlands cost?", 2),
        ("Do you sell gift cards?", 1),
    ]
    assert drafted.status_code == 200 and "€3.95" in drafted.json()["draft_answer"]
    assert drafted.json()["draft_sources"][0]["id"]
    assert fixed.status_code == 204 and again.status_code == 404
    assert [c["label"] for c in left] == ["Do you sell gift cards?"]
