"""Schemathesis against the web app's OpenAPI schema, anonymous and signed in as an admin: for
requests generated from every operation's schema (valid and invalid ones), no answer is a 5xx
and every error carries a JSON reason. The real web app runs in-process on a fresh app database;
nothing listens where Rasa would be, so the routes that call it must say so, not fail."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.case import Case
from sqlalchemy import create_engine

from bot.commerce.catalogue import load_catalogue
from bot.handoff.models import Role
from bot.insights.copy import CopyDesk, CopyModel
from bot.insights.copy_sources import LexicalPolicies
from bot.insights.tracker_events import tracker_metadata
from bot.web.app import create_app
from devtools.console import add_agent, sign_in
from devtools.servers import free_port

pytestmark = [pytest.mark.integration]
EXAMPLES = 10  # per operation and caller: ~30 operations x 2 callers in under a minute
# Left out: the live event stream never ends (it is a long poll by design); logging out would
# end the signed-in run; grouping gaps loads MiniLM and the index (tests/unit/web covers it).
AGENT_PATCH = ("PATCH", "/api/console/agents/{agent_id}")
SKIPPED = {
    ("GET", "/api/console/events"),
    ("POST", "/api/console/logout"),
    ("POST", "/api/console/insights/gaps/cluster"),
    AGENT_PATCH,
}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder: Path = tmp_path_factory.mktemp("fuzz-web")
    database = f"sqlite:///{folder / 'app.db'}"
    add_agent(database, "ada.admin@fernhill.example", "Ada", Role.ADMIN)
    app = create_app(f"http://127.0.0.1:{free_port()}", database)
    tracker = f"sqlite:///{folder / 'tracker.db'}"
    tracker_metadata.create_all(create_engine(tracker))  # Rasa's events table, empty
    app.state.insights.tracker_url = tracker
    # Product copy without the generator and the index (composed drafts, BM25 policies).
    knowledge = Path(__file__).resolve().parents[2] / "knowledge_base"
    app.state.copy_desk = CopyDesk(
        load_catalogue(knowledge / "products.json"),
        LexicalPolicies.from_folder(knowledge),
        CopyModel(None),
    )
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _send(client: TestClient, case: Case, headers: dict[str, str]) -> Any:
    kwargs: dict[str, Any] = {
        "params": case.query or None,
        "headers": {**{k: str(v) for k, v in (case.headers or {}).items()}, **headers},
    }
    if case.body is not None and not isinstance(case.body, schemathesis.core.NotSet):
        kwargs["content"] = json.dumps(case.body)
        kwargs["headers"]["content-type"] = "application/json"
    return client.request(case.method, case.formatted_path, **kwargs)


def _problems(
    client: TestClient, headers: dict[str, str], only: tuple[str, str] | None = None
) -> list[str]:
    schema = schemathesis.openapi.from_dict(client.app.openapi())  # type: ignore[attr-defined]
    problems: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        key = (operation.method.upper(), operation.path)
        if key in SKIPPED or (only is not None and key != only):
            continue

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Case) -> None:
            answer = _send(client, case, headers)
            where = f"{case.method} {case.formatted_path} {case.query} {str(case.body)[:80]}"
            if answer.status_code >= 500:
                problems.append(f"{answer.status_code} {where}: {answer.text[:200]}")
            elif answer.status_code >= 400:
                try:
                    reason = answer.json().get("detail") or answer.json().get("reason")
                except ValueError:
                    reason = None
                if not reason:
                    problems.append(f"{answer.status_code} without a JSON reason: {where}")

        check()
    return problems


# First: the fuzzing below sends many failed sign-ins, after which this client is locked out.
def test_an_agent_id_out_of_range_gets_a_reason(client: TestClient):
    csrf = sign_in(client, "ada.admin@fernhill.example")
    assert _problems(client, {"X-CSRF-Token": csrf}, only=AGENT_PATCH) == []


def test_anonymous_callers_get_no_server_error_and_every_error_says_why(client: TestClient):
    client.cookies.clear()
    assert _problems(client, {}) == []


def test_a_signed_in_admin_gets_no_server_error_and_every_error_says_why(client: TestClient):
    csrf = sign_in(client, "ada.admin@fernhill.example")
    assert _problems(client, {"X-CSRF-Token": csrf}) == []
