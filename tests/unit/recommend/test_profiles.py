"""Shopper profiles in a real (migrated) SQLite app database: remembered, described, erased and
purged after the retention limit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.appdata.db import get_app_engine, get_app_sessionmaker
from bot.appdata.migrate import upgrade_app_database
from bot.appdata.profiles import (
    ShopperProfile,
    describe_profile,
    erase_profile,
    get_profile,
    purge_profiles,
    remember_preferences,
)

pytestmark = pytest.mark.unit


@pytest.fixture()
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine = get_app_engine(f"sqlite:///{tmp_path / 'app.db'}")
    upgrade_app_database(engine)
    yield get_app_sessionmaker(engine)
    engine.dispose()


def test_preferences_are_merged_and_described(sessions: sessionmaker[Session]) -> None:
    with sessions() as session, session.begin():
        remember_preferences(session, "Ana@Example.com", sizes=["42"], colours=["blue"])
        remember_preferences(session, "ana@example.com", max_price="60", sizes=["42", "M"])
    with sessions() as session:
        described = describe_profile(session, "ana@example.com")
    assert described is not None
    assert described["sizes"] == ["42", "M"] and described["colours"] == ["blue"]
    assert described["budget_up_to_eur"] == "60"


def test_erase_deletes_the_profile(sessions: sessionmaker[Session]) -> None:
    with sessions() as session, session.begin():
        remember_preferences(session, "bo@example.com", sizes=["L"])
    with sessions() as session, session.begin():
        assert erase_profile(session, "bo@example.com") == 1
        assert erase_profile(session, "bo@example.com") == 0
    with sessions() as session:
        assert describe_profile(session, "bo@example.com") is None


def test_profiles_unused_past_the_retention_limit_are_purged(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as session, session.begin():
        remember_preferences(session, "old@example.com", sizes=["S"])
        remember_preferences(session, "new@example.com", sizes=["M"])
    with sessions() as session, session.begin():
        row = session.get(ShopperProfile, "old@example.com")
        assert row is not None
        row.last_used_at = datetime.now(UTC) - timedelta(days=400)
    with sessions() as session, session.begin():
        assert purge_profiles(session, datetime.now(UTC) - timedelta(days=365)) == 1
    with sessions() as session:
        assert get_profile(session, "old@example.com") is None
        assert get_profile(session, "new@example.com") is not None


def test_a_bad_key_is_refused(sessions: sessionmaker[Session]) -> None:
    with sessions() as session, pytest.raises(ValueError, match="e-mail address"):
        remember_preferences(session, "not-an-email")
