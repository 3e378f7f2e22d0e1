"""``/api/console/copy`` and ``/console/copy``: admins only; a draft with its sentences checked,
an edit checked again and saved as a version, the history exported; bad input refused with a
reason. The drafts are composed from the catalogue data (the generator is off here) and the
policies come from BM25 over the knowledge folder (no index loaded)."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from bot.commerce.catalogue import load_catalogue
from bot.handoff.models import Role
from bot.insights.copy import CopyDesk, CopyModel
from bot.insights.copy_sources import LexicalPolicies
from bot.settings import PROJECT_ROOT
from devtools.console import add_agent, sign_in

pytestmark = pytest.mark.unit
ADMIN, AGENT = "ada.admin@fernhill.example", "sam.agent@fernhill.example"
KNOWLEDGE = PROJECT_ROOT / "knowledge_base"
POUCH = "FH-EA-0024"
ROUTES = [
    ("get", "/api/console/copy/options", None),
    ("get", "/api/console/copy/products?q=pouch", None),
    ("post", "/api/console/copy/drafts", {"skus": [POUCH], "purpose": "ad_line"}),
    ("get", "/api/console/copy/drafts", None),
    ("get", "/api/console/copy/drafts/1", None),
    ("post", "/api/console/copy/check", {"skus": [POUCH], "text": "A pouch."}),
    ("post", "/api/console/copy/drafts/1/versions", {"text": "A pouch."}),
    ("get", "/api/console/copy/drafts/1/export.csv", None),
]


@pytest.fixture()
def client(client: TestClient) -> TestClient:
    client.app.state.copy_desk = CopyDesk(  # type: ignore[attr-defined]
        load_catalogue(KNOWLEDGE / "products.json"),
        LexicalPolicies.from_folder(KNOWLEDGE),
        CopyModel(None),
    )
    return client


@pytest.fixture()
def admin(client: TestClient, app_database_url: str) -> TestClient:
    add_agent(app_database_url, ADMIN, "Ada", Role.ADMIN)
    sign_in(client, ADMIN)
    return client


def test_every_copy_route_is_listed_here(client):
    spec = client.get("/openapi.json").json()["paths"]
    paths = {(m, p) for p, ops in spec.items() if p.startswith("/api/console/copy") for m in ops}
    filled = {
        (m, p.replace("{draft_id}", "1").replace("export.{kind}", "export.csv")) for m, p in paths
    }
    assert filled == {(m, p.split("?")[0]) for m, p, _ in ROUTES}


def test_anonymous_callers_are_refused(client):
    for method, path, body in ROUTES:
        answer = client.request(method.upper(), path, json=body)
        assert answer.status_code == 401 and "Sign in" in answer.json()["detail"], path


def test_agents_are_not_admins(client, app_database_url):
    add_agent(app_database_url, AGENT, "Sam", Role.AGENT)
    sign_in(client, AGENT)
    for method, path, body in ROUTES:
        assert client.request(method.upper(), path, json=body).status_code == 403, path


def test_the_page_is_served_with_its_policy(client):
    page = client.get("/console/copy")
    assert page.status_code == 200 and "Product copy" in page.text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_an_admin_drafts_edits_and_exports(admin):
    found = admin.get("/api/console/copy/products", params={"q": "organiser pouch"}).json()
    drafted = admin.post(
        "/api/console/copy/drafts",
        json={"skus": [POUCH], "purpose": "social_post", "audience": "travellers", "variants": 2},
    )
    a, b = drafted.json()
    latest = a["versions"][-1]
    edited = f"{latest['text']} It is fully waterproof."
    checked = admin.post("/api/console/copy/check", json={"skus": [POUCH], "text": edited})
    saved = admin.post(f"/api/console/copy/drafts/{a['id']}/versions", json={"text": edited})
    listed = admin.get("/api/console/copy/drafts").json()
    exported = admin.get(f"/api/console/copy/drafts/{a['id']}/export.csv")

    assert found[0]["sku"] == POUCH and found[0]["price"] == "19.95 EUR"
    assert drafted.status_code == 200 and (a["variant"], b["variant"]) == ("A", "B")
    assert latest["method"] == "composed" and latest["grounded"] and a["created_by"] == ADMIN
    assert a["versions"][-1]["text"] != b["versions"][-1]["text"]
    sentences = checked.json()["claims"]
    assert checked.json()["grounded"] is False and sentences[-1]["supported"] is False
    assert edited[sentences[-1]["start"] : sentences[-1]["end"]] == "It is fully waterproof."
    assert sentences[-1]["problems"][0]["reason"]
    assert [v["number"] for v in saved.json()["versions"]] == [1, 2]
    assert saved.json()["versions"][-1]["method"] == "edited"
    assert {d["id"] for d in listed} == {a["id"], b["id"]} and listed[0]["id"] == a["id"]
    assert exported.headers["content-disposition"].endswith(f'copy-draft-{a["id"]}.csv"')
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [(r["version"], r["grounded"]) for r in rows] == [("1", "True"), ("2", "False")]
    assert admin.get(f"/api/console/copy/drafts/{a['id']}/export.txt").text.startswith(
        "social media post for travellers"
    )


BAD_INPUT = [
    (
        "/api/console/copy/drafts",
        {"skus": ["FH-XX-9999"], "purpose": "ad_line"},
        "not in the catalogue: FH-XX-9999",
    ),
    ("/api/console/copy/drafts", {"skus": [POUCH], "purpose": "poem"}, "Input should be"),
    ("/api/console/copy/drafts", {"skus": [], "purpose": "ad_line"}, "at least 1 item"),
    (
        "/api/console/copy/drafts",
        {"skus": [POUCH, POUCH], "purpose": "ad_line"},
        "chosen twice",
    ),
    (
        "/api/console/copy/drafts",
        {"skus": [POUCH], "purpose": "ad_line", "variants": 3},
        "less than or equal to 2",
    ),
    ("/api/console/copy/check", {"skus": [POUCH], "text": "   "}, "the draft is empty"),
    (
        "/api/console/copy/check",
        {"skus": [POUCH], "text": "x" * 4001},
        "at most 4000 characters",
    ),
]


def test_bad_input_is_refused_with_a_reason(admin):
    for path, body, reason in BAD_INPUT:
        answer = admin.post(path, json=body)
        assert answer.status_code == 422, body
        assert reason in str(answer.json()["detail"]), body


def test_a_missing_draft_is_404(admin):
    assert admin.get("/api/console/copy/drafts/999").status_code == 404
    assert (
        admin.post("/api/console/copy/drafts/999/versions", json={"text": "A pouch."}).status_code
        == 404
    )
