"""``python -m bot channels register telegram`` against a local stand-in of the Bot API."""

import pytest
from typer.testing import CliRunner

from bot.cli import app
from devtools.platform_standin import PlatformStandIn

pytestmark = pytest.mark.unit


@pytest.fixture()
def stand_in():
    server = PlatformStandIn()
    yield server
    server.close()


def test_register_telegram_calls_set_webhook_and_says_what_it_did(stand_in, monkeypatch):
    monkeypatch.setenv("TELEGRAM_TOKEN", "123:abc")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "s3cret")
    monkeypatch.setenv("TELEGRAM_API_URL", stand_in.url)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://bot.example")
    result = CliRunner().invoke(app, ["channels", "register", "telegram"])
    assert result.exit_code == 0, result.output
    (request,) = stand_in.requests
    assert request.path == "/bot123:abc/setWebhook"
    assert request.json == {
        "url": "https://bot.example/webhooks/telegram/webhook",
        "secret_token": "s3cret",
        "allowed_updates": ["message", "callback_query"],
    }
    assert "https://bot.example/webhooks/telegram/webhook" in result.output
    assert "s3cret" not in result.output


def test_register_telegram_names_missing_settings_and_calls_nothing(stand_in, monkeypatch):
    for name in ("TELEGRAM_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "PUBLIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TELEGRAM_API_URL", stand_in.url)
    result = CliRunner().invoke(app, ["channels", "register", "telegram"])
    assert result.exit_code == 2
    assert "TELEGRAM_TOKEN, TELEGRAM_WEBHOOK_SECRET, PUBLIC_BASE_URL" in result.output
    assert stand_in.requests == []


def test_register_telegram_reports_a_refusal(stand_in, monkeypatch):
    monkeypatch.setenv("TELEGRAM_TOKEN", "123:abc")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "s3cret")
    monkeypatch.setenv("TELEGRAM_API_URL", stand_in.url)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://bot.example")
    stand_in.failures.append((401, {"ok": False, "error_code": 401, "description": "Unauthorized"}))
    result = CliRunner().invoke(app, ["channels", "register", "telegram"])
    assert result.exit_code == 1
    assert "setWebhook refused" in result.output and "Unauthorized" in result.output
