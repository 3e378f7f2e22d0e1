"""The rating API takes a rating only from the conversation's own browser, and limits calls."""

from __future__ import annotations

import pytest

from bot.settings import get_settings
from bot.web.conversation_keys import KEY_HEADER, conversation_key, key_matches

pytestmark = pytest.mark.unit


def start(client) -> tuple[str, str]:
    answer = client.post("/api/conversations")
    assert answer.status_code == 201, answer.text
    body = answer.json()
    return body["session_id"], body["key"]


def test_a_started_conversation_gets_a_fresh_id_and_its_own_key(client):
    (first, first_key), (second, second_key) = start(client), start(client)
    assert first != second and len(first) == 32 and first_key != second_key
    assert key_matches(first, first_key) and not key_matches(second, first_key)


def test_the_conversations_browser_rates_it_and_nobody_else_can_overwrite_it(client):
    session_id, key = start(client)
    _, other_key = start(client)
    url = f"/api/conversations/{session_id}/rating"
    assert client.post(url, json={"stars": 5}, headers={KEY_HEADER: key}).status_code == 201
    missing = client.post(url, json={"stars": 1})
    assert missing.status_code == 401 and KEY_HEADER in missing.json()["detail"]
    forged = client.post(url, json={"stars": 1}, headers={KEY_HEADER: other_key})
    assert forged.status_code == 403
    assert forged.json()["detail"] == "This key does not belong to the conversation"
    assert client.get(url).status_code == 401  # nor read it
    assert client.get(url, headers={KEY_HEADER: key}).json()["stars"] == 5


def test_a_key_is_bound_to_the_apps_secret():
    assert conversation_key("abc", b"one") != conversation_key("abc", b"two")
    assert not key_matches("abc", "", b"one") and not key_matches("abc", None, b"one")


def test_rating_calls_are_limited_per_address(client):
    session_id, key = start(client)
    url = f"/api/conversations/{session_id}/rating"
    limit = get_settings().rating_rate_limit
    statuses = [
        client.post(url, json={"stars": 4}, headers={KEY_HEADER: key}).status_code
        for _ in range(limit + 1)
    ]
    assert statuses[:limit] == [201] * limit and statuses[-1] == 429
    refused = client.post(url, json={"stars": 4}, headers={KEY_HEADER: key})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert "Too many requests" in refused.json()["detail"]
