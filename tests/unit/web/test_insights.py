"""``/api/console/insights`` and ``/console/insights``: admins only, filters, exports, transcripts,
reading new events; on the hand-built conversations of tests/unit/insights/conversations.py."""

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.appdata import get_app_engine
from bot.handoff.models import Role
from bot.insights.refresh import update_insights
from devtools.console import add_agent, sign_in
from tests.unit.insights.conversations import halves, tracker_store, write_app_records, write_events

pytestmark = pytest.mark.unit
ADMIN, AGENT = "ada.admin@fernhill.example", "sam.agent@fernhill.example"


@pytest.fixture()
def tracker(tmp_path: Path, client: TestClient):
    engine = tracker_store(f"sqlite:///{tmp_path / 'tracker.db'}")
    client.app.state.insights.tracker_url = str(engine.url)  # type: ignore[attr-defined]
    return engine


@pytest.fixture()
def admin(client: TestClient, app_database_url: str, tracker) -> TestClient:
    first, _ = halves()
    write_events(tracker, first)
    add_agent(app_database_url, ADMIN, "Ada", Role.ADMIN)
    sign_in(client, ADMIN)
    return client


def everything(app_database_url: str, tracker) -> None:
    write_events(tracker, list(halves())[1])
    update_insights(get_app_engine(app_database_url), tracker)
    write_app_records(app_database_url)


ROUTES = [
    ("get", "/api/console/insights"),
    ("get", "/api/console/insights/export/totals.csv"),
    ("get", "/api/console/insights/export/totals.json"),
    ("get", "/api/console/insights/transcripts/bob"),
    ("post", "/api/console/insights/update"),
    ("get", "/api/console/insights/gaps"),
    ("post", "/api/console/insights/gaps/cluster"),
    ("post", "/api/console/insights/gaps/1/draft"),
    ("post", "/api/console/insights/gaps/1/fixed"),
    ("post", "/api/console/insights/gaps/1/publish"),
]


def test_every_insights_route_is_listed_here(client):
    spec = client.get("/openapi.json").json()["paths"]
    paths = {
        (m, p) for p, ops in spec.items() if p.startswith("/api/console/insights") for m in ops
    }
    assert paths == {
        ("get", "/api/console/insights"),
        ("get", "/api/console/insights/export/{table}.{kind}"),
        ("get", "/api/console/insights/transcripts/{session_id}"),
        ("post", "/api/console/insights/update"),
        ("get", "/api/console/insights/gaps"),
        ("post", "/api/console/insights/gaps/cluster"),
        ("post", "/api/console/insights/gaps/{cluster_id}/draft"),
        ("post", "/api/console/insights/gaps/{cluster_id}/fixed"),
        ("post", "/api/console/insights/gaps/{cluster_id}/publish"),
    }


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_anonymous_callers_are_refused(client, tracker, method, path):
    answer = client.request(method.upper(), path)
    assert answer.status_code == 401 and "Sign in" in answer.json()["detail"]


def test_only_admins_see_the_insights(client, app_database_url, tracker):
    add_agent(app_database_url, AGENT, "Sam", Role.AGENT)
    sign_in(client, AGENT)
    assert client.get("/api/console/insights").status_code == 403
    for method, path in ROUTES:
        assert client.request(method.upper(), path).status_code == 403, path


def test_the_report_follows_the_filters(admin, app_database_url, tracker):
    everything(app_database_url, tracker)

    every = admin.get("/api/console/insights").json()
    telegram = admin.get("/api/console/insights", params={"channel": "telegram"}).json()
    weeks = admin.get("/api/console/insights", params={"granularity": "week"}).json()
    later = admin.get("/api/console/insights", params={"since": "2026-11-04"}).json()
    wrong = admin.get(
        "/api/console/insights", params={"since": "2026-11-05", "until": "2026-11-01"}
    )

    assert (every["totals"]["conversations"], every["totals"]["containment"]) == (3, 0.6667)
    assert every["channels"] == ["socketio", "telegram"]
    assert telegram["totals"]["conversations"] == 1 and telegram["handoffs"]["reasons"] == {
        "negative_sentiment": 1
    }
    assert [p["bucket"] for p in weeks["series"]] == ["2026-11-02", "2026-11-09"]
    assert later["totals"]["orders_tracked"] == 1 and later["csat"]["average"] == 5.0
    assert wrong.status_code == 422 and "since must not be after until" in wrong.text
    assert every["lowest_rated"][0]["session_id"] == "bob"


def test_update_reads_only_new_events(admin, tracker):
    first = admin.post("/api/console/insights/update")
    write_events(tracker, list(halves())[1])
    second = admin.post("/api/console/insights/update")
    third = admin.post("/api/console/insights/update")

    assert first.status_code == 200 and first.json()["events"] == len(list(halves())[0])
    assert second.json()["events"] == len(list(halves())[1])
    assert third.json()["events"] == 0


def test_update_without_the_csrf_header_is_refused(admin):
    del admin.headers["X-CSRF-Token"]
    assert admin.post("/api/console/insights/update").status_code == 403


def test_every_table_exports_as_csv_and_json(admin, app_database_url, tracker):
    everything(app_database_url, tracker)

    rows = list(
        csv.DictReader(io.StringIO(admin.get("/api/console/insights/export/series.csv").text))
    )
    products = admin.get("/api/console/insights/export/top_products.json")
    unknown = admin.get("/api/console/insights/export/passwords.csv")

    assert [(r["bucket"], r["conversations"]) for r in rows] == [
        ("2026-11-02", "1"),
        ("2026-11-03", "1"),
        ("2026-11-10", "1"),
    ]
    assert products.json() == [{"term": "linen apron", "count": 1}]
    assert "attachment" in products.headers["content-disposition"]
    assert unknown.status_code == 404 and "top_products" in unknown.json()["detail"]


def test_a_transcript_comes_from_the_tracker_store(admin, tracker):
    write_events(tracker, list(halves())[1])
    lines = admin.get("/api/console/insights/transcripts/bob").json()
    missing = admin.get("/api/console/insights/transcripts/nobody")

    assert lines[0] == {"sender": "contact", "text": "asdf qwerty", "at": lines[0]["at"]}
    assert [line["sender"] for line in lines] == ["contact", "bot", "contact", "bot", "bot"]
    assert missing.status_code == 404


def test_the_page_and_chart_js_are_served_locally(client):
    page = client.get("/console/insights")
    chart = client.get("/console/vendor/chart.umd.min.js")

    assert (
        page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
    )
    assert '<script src="/console/vendor/chart.umd.min.js">' in page.text
    assert chart.status_code == 200 and "Chart.js v4.6.1" in chart.text[:300]
