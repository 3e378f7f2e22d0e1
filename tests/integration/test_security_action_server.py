"""The action server refuses calls that do not come from Rasa: the shared webhook token is
required on /webhook and /actions (the real server of the test session)."""

from __future__ import annotations

import pytest
import requests

from devtools.servers import WEBHOOK_TOKEN, Server

pytestmark = pytest.mark.integration


def test_a_forged_action_call_is_refused(action_server: Server) -> None:
    call = {"next_action": "action_handoff", "sender_id": "x", "tracker": {"events": []}}
    missing = requests.post(f"{action_server.url}/webhook", json=call, timeout=10)
    assert missing.status_code == 401 and "Authorization" in missing.json()["reason"]
    forged = requests.post(
        f"{action_server.url}/webhook", params={"token": "guess"}, json=call, timeout=10
    )
    assert forged.status_code == 403 and forged.json()["reason"] == "invalid token"
    listing = requests.get(f"{action_server.url}/actions", timeout=10)
    assert listing.status_code == 401
    allowed = requests.get(f"{action_server.url}/actions", params={"token": WEBHOOK_TOKEN})
    assert allowed.status_code == 200 and any(a["name"] == "action_handoff" for a in allowed.json())
