"""Security headers on every page and CORS only for the shop's configured origins."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from fastapi.testclient import TestClient

from bot.settings import get_settings
from bot.web.app import create_app
from bot.web.security import content_security_policy, parse_origins, socket_sources
from devtools.servers import free_port

pytestmark = pytest.mark.unit

PATHS = ["/", "/health", "/widget/fernhill-chat.js", "/console", "/api/conversations/x/rating"]


@pytest.mark.parametrize("path", PATHS)
def test_every_response_has_the_security_headers(client, path):
    answer = client.get(path)
    assert answer.headers["referrer-policy"] == "same-origin"
    assert answer.headers["x-content-type-options"] == "nosniff"
    policy = answer.headers["content-security-policy"]
    assert "frame-ancestors 'self'" in policy or "frame-ancestors 'none'" in policy


def test_a_pages_own_stricter_policy_stays(client):
    assert "frame-ancestors 'none'" in client.get("/console").headers["content-security-policy"]


def test_a_page_allows_its_own_inline_script_by_hash_and_no_other(client):
    page = client.get("/")
    policy = page.headers["content-security-policy"]
    inline = re.search(r"<script>(.*?)</script>", page.text, re.S)
    assert inline is not None
    digest = base64.b64encode(hashlib.sha256(inline.group(1).encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "connect-src 'self' http://rasa.test:5005 ws://rasa.test:5005" in policy
    assert int(page.headers["content-length"]) == len(page.content)


def test_an_api_answer_may_load_nothing():
    assert content_security_policy(None).startswith("default-src 'none'")


def test_cors_answers_only_the_configured_origins(client):
    allowed = client.get("/widget/fernhill-chat.js", headers={"Origin": "http://127.0.0.1:8000"})
    assert allowed.headers["access-control-allow-origin"] == "http://127.0.0.1:8000"
    other = client.get("/widget/fernhill-chat.js", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    preflight = client.options(
        "/api/conversations",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers


def test_the_shops_origins_are_a_setting(monkeypatch, tmp_path):
    monkeypatch.setenv(
        "FERNHILL_ALLOWED_ORIGINS", "https://shop.example.com, https://www.shop.example.com"
    )
    get_settings.cache_clear()
    try:
        app = create_app(f"http://127.0.0.1:{free_port()}", f"sqlite:///{tmp_path / 'app.db'}")
        with TestClient(app) as client:
            origin = {"Origin": "https://www.shop.example.com"}
            answer = client.post("/api/conversations", headers=origin)
            assert answer.headers["access-control-allow-origin"] == origin["Origin"]
            demo = client.post("/api/conversations", headers={"Origin": "http://127.0.0.1:8000"})
            assert "access-control-allow-origin" not in demo.headers
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize(
    "bad", ["shop.example.com", "ftp://shop.example", "https://shop.example/path"]
)
def test_a_malformed_origin_is_refused_with_the_reason(bad):
    with pytest.raises(ValueError, match="FERNHILL_ALLOWED_ORIGINS must list origins"):
        parse_origins(bad)


def test_socket_sources_cover_http_and_websocket():
    assert socket_sources("https://rasa.example.com/") == [
        "https://rasa.example.com",
        "wss://rasa.example.com",
    ]
    assert socket_sources(None) == [] and socket_sources("not a url") == []
