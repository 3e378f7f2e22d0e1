"""``python -m bot console create-admin``: asks for (or generates) the password, never a default."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.appdata import get_app_engine, get_app_sessionmaker
from bot.cli import app
from bot.handoff.agents import authenticate
from bot.handoff.models import Agent
from bot.settings import get_settings

pytestmark = pytest.mark.unit


@pytest.fixture()
def app_database(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setattr(get_settings(), "app_database_url", url)
    return url


def test_create_admin_asks_for_the_password_twice(app_database):
    typed = "rita@fernhill.example\nRita\nlong enough secret\nlong enough secret\n"
    result = CliRunner().invoke(app, ["console", "create-admin"], input=typed)
    assert result.exit_code == 0, result.output
    assert "admin Rita <rita@fernhill.example> created" in result.output
    with get_app_sessionmaker(get_app_engine(app_database))() as session:
        [agent] = session.scalars(select(Agent)).all()
        assert agent.role == "admin" and agent.password_hash.startswith("$argon2id$")
        assert authenticate(session, "rita@fernhill.example", "long enough secret") is not None


def test_create_admin_can_generate_a_password_shown_once(app_database):
    result = CliRunner().invoke(
        app,
        ["console", "create-admin", "--email", "a@fernhill.example", "--name", "Al", "--generate"],
    )
    assert result.exit_code == 0, result.output
    password = result.output.split("password (shown once): ")[1].strip()
    with get_app_sessionmaker(get_app_engine(app_database))() as session:
        assert authenticate(session, "a@fernhill.example", password) is not None


def test_a_short_password_or_a_taken_email_is_refused(app_database):
    short = CliRunner().invoke(
        app,
        ["console", "create-admin", "--email", "a@fernhill.example", "--name", "Al"],
        input="short\nshort\n",
    )
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    args = [
        "console",
        "create-admin",
        "--email",
        "a@fernhill.example",
        "--name",
        "Al",
        "--generate",
    ]
    assert CliRunner().invoke(app, args).exit_code == 0
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 1 and "already exists" in again.output
