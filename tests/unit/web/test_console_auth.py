"""Console sign-in: sessions in cookies, CSRF, expiry, rate limit, roles, and every route refusing
anonymous callers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from bot.appdata import get_app_engine, get_app_sessionmaker
from bot.handoff.models import AgentSession, Role
from devtools.console import PASSWORD, add_agent, sign_in

pytestmark = pytest.mark.unit

ROUTES = [
    ("post", "/api/console/logout"),
    ("get", "/api/console/me"),
    ("get", "/api/console/events"),
    ("get", "/api/console/agents"),
    ("post", "/api/console/agents"),
    ("patch", "/api/console/agents/1"),
    ("get", "/api/console/conversations"),
    ("get", "/api/console/conversations/search?q=parcel"),
    ("get", "/api/console/conversations/1"),
    ("get", "/api/console/conversations/1/suggestion"),
    ("post", "/api/console/conversations/1/claim"),
    ("post", "/api/console/conversations/1/assign"),
    ("post", "/api/console/conversations/1/priority"),
    ("post", "/api/console/conversations/1/messages"),
    ("post", "/api/console/conversations/1/notes"),
    ("post", "/api/console/conversations/1/resolve"),
    ("post", "/api/console/conversations/1/handback"),
    ("post", "/api/console/conversations/1/snooze"),
    ("get", "/api/console/insights"),
    ("get", "/api/console/insights/export/daily.csv"),
    ("get", "/api/console/insights/transcripts/shopper-1"),
    ("post", "/api/console/insights/update"),
    ("get", "/api/console/insights/gaps"),
    ("post", "/api/console/insights/gaps/cluster"),
    ("post", "/api/console/insights/gaps/1/draft"),
    ("post", "/api/console/insights/gaps/1/fixed"),
    ("post", "/api/console/insights/gaps/1/publish"),
    ("get", "/api/console/privacy/export"),
    ("post", "/api/console/privacy/erase"),
    ("get", "/api/console/copy/options"),
    ("get", "/api/console/copy/products"),
    ("post", "/api/console/copy/drafts"),
    ("get", "/api/console/copy/drafts"),
    ("get", "/api/console/copy/drafts/1"),
    ("post", "/api/console/copy/check"),
    ("post", "/api/console/copy/drafts/1/versions"),
    ("get", "/api/console/copy/drafts/1/export.csv"),
]

# path parameters as the schema names them, and the values ROUTES uses for them
PARAMETERS = {
    "{conversation_id}": "1",
    "{agent_id}": "1",
    "{cluster_id}": "1",
    "{session_id}": "shopper-1",
    "{table}.{kind}": "daily.csv",
    "{draft_id}": "1",
    "export.{kind}": "export.csv",
}


def test_every_console_route_but_login_is_listed_here(client):
    spec = client.get("/openapi.json").json()["paths"]
    paths = {(m, p) for p, ops in spec.items() if p.startswith("/api/console") for m in ops}
    listed = {(m, p.split("?")[0]) for m, p in ROUTES}
    filled = set()
    for method, path in paths:
        for name, value in PARAMETERS.items():
            path = path.replace(name, value)
        filled.add((method, path))
    assert filled - {("post", "/api/console/login")} == listed


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_anonymous_callers_are_refused(client, method, path):
    answer = client.request(method.upper(), path, json={})
    assert answer.status_code == 401
    assert "Sign in" in answer.json()["detail"]


def test_sign_in_sets_an_http_only_strict_cookie(client, app_database_url):
    add_agent(app_database_url, "ann@fernhill.example", "Ann")
    answer = client.post(
        "/api/console/login", json={"email": "ANN@fernhill.example ", "password": PASSWORD}
    )
    assert answer.status_code == 200
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    body = answer.json()
    assert body["agent"]["name"] == "Ann" and "password_hash" not in body["agent"]
    assert client.get("/api/console/me").json()["csrf_token"] == body["csrf_token"]


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client, app_database_url):
    add_agent(app_database_url, "ann@fernhill.example", "Ann")
    wrong = client.post(
        "/api/console/login", json={"email": "ann@fernhill.example", "password": "nope"}
    )
    unknown = client.post(
        "/api/console/login", json={"email": "bob@fernhill.example", "password": "nope"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"detail": "Wrong e-mail or password"}


def test_repeated_failures_are_rate_limited(client, app_database_url):
    add_agent(app_database_url, "ann@fernhill.example", "Ann")
    for _ in range(5):
        client.post(
            "/api/console/login", json={"email": "ann@fernhill.example", "password": "guess"}
        )
    answer = client.post(
        "/api/console/login", json={"email": "ann@fernhill.example", "password": PASSWORD}
    )
    assert answer.status_code == 429
    assert int(answer.headers["Retry-After"]) > 0 and "Too many" in answer.json()["detail"]


def test_guessing_across_many_emails_from_one_address_is_rate_limited(client):
    answers = [
        client.post("/api/console/login", json={"email": f"u{n}@fernhill.example", "password": "x"})
        for n in range(21)
    ]
    assert [a.status_code for a in answers[:20]] == [401] * 20
    assert answers[20].status_code == 429


def test_login_validation_errors_name_the_field(client):
    answer = client.post("/api/console/login", json={"email": "ann@fernhill.example"})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "password"]


def test_state_changes_need_the_csrf_header(client, app_database_url):
    add_agent(app_database_url, "ann@fernhill.example", "Ann")
    sign_in(client, "ann@fernhill.example")
    del client.headers["X-CSRF-Token"]
    answer = client.post("/api/console/conversations/1/claim")
    assert answer.status_code == 403 and "X-CSRF-Token" in answer.json()["detail"]
    client.headers["X-CSRF-Token"] = "forged"
    assert client.post("/api/console/logout").status_code == 403


def test_logout_ends_the_session(client, app_database_url):
    add_agent(app_database_url, "ann@fernhill.example", "Ann")
    sign_in(client, "ann@fernhill.example")
    assert client.post("/api/console/logout").status_code == 204
    assert client.get("/api/console/me").status_code == 401


def test_expired_sessions_are_refused(client, app_database_url):
    add_agent(app_database_url, "ann@fernhill.example", "Ann")
    sign_in(client, "ann@fernhill.example")
    with get_app_sessionmaker(get_app_engine(app_database_url))() as session, session.begin():
        session.execute(
            update(AgentSession).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert client.get("/api/console/me").status_code == 401


def test_agents_cannot_manage_agents(client, app_database_url):
    add_agent(app_database_url, "ann@fernhill.example", "Ann")
    sign_in(client, "ann@fernhill.example")
    assert client.get("/api/console/agents").status_code == 200
    new = {"email": "bob@fernhill.example", "name": "Bob", "password": PASSWORD}
    answer = client.post("/api/console/agents", json=new)
    assert answer.status_code == 403 and answer.json()["detail"] == "Only admins may manage agents"
    assert client.patch("/api/console/agents/1", json={"role": "admin"}).status_code == 403


def test_admins_add_change_and_deactivate_agents(client, app_database_url):
    add_agent(app_database_url, "root@fernhill.example", "Rita", Role.ADMIN)
    sign_in(client, "root@fernhill.example")
    added = client.post(
        "/api/console/agents",
        json={"email": "bob@fernhill.example", "name": "Bob", "password": PASSWORD},
    )
    assert added.status_code == 201 and added.json()["role"] == "agent"
    bob = added.json()["id"]
    again = client.post(
        "/api/console/agents",
        json={"email": "bob@fernhill.example", "name": "B", "password": PASSWORD},
    )
    assert again.status_code == 422 and "already exists" in again.json()["detail"]
    short = client.post(
        "/api/console/agents",
        json={"email": "c@fernhill.example", "name": "C", "password": "short"},
    )
    assert short.status_code == 422 and short.json()["detail"][0]["loc"] == ["body", "password"]
    assert (
        client.patch(f"/api/console/agents/{bob}", json={"active": False}).json()["active"] is False
    )
    refused = client.post(
        "/api/console/login", json={"email": "bob@fernhill.example", "password": PASSWORD}
    )
    assert refused.status_code == 401
    assert client.patch("/api/console/agents/999", json={"name": "X"}).status_code == 404
    me = client.get("/api/console/me").json()["agent"]["id"]
    last = client.patch(f"/api/console/agents/{me}", json={"role": "agent"})
    assert last.status_code == 409 and "last active admin" in last.json()["detail"]
