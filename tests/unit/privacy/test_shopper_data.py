"""Export, erasure and retention over real SQLite stores: Rasa's tracker store (its events
table) and the app database (console conversations, ratings, knowledge gaps)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from typer.testing import CliRunner

from bot.appdata import ConversationRating, save_rating
from bot.appdata.knowledge_gaps import KnowledgeGap, add_knowledge_gap
from bot.cli import app as cli
from bot.handoff.models import Conversation
from bot.handoff.queue import Reason, enqueue
from bot.insights.tracker_events import events_table, tracker_metadata
from bot.privacy.retention import RetentionDays, purge
from bot.privacy.sessions import app_session
from bot.privacy.shopper_data import ShopperNotFound, Subject, erase_shopper, export_shopper

pytestmark = pytest.mark.unit

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)
EMAIL = "ann.jansen@example.com"


@pytest.fixture()
def stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    tracker = create_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    tracker_metadata.create_all(tracker)
    app_url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("FERNHILL_APP_DATABASE_URL", app_url)
    monkeypatch.setenv("FERNHILL_TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    from bot.settings import get_settings

    get_settings.cache_clear()
    session = app_session(app_url)
    yield session, tracker
    session.close()
    get_settings.cache_clear()


def add_events(tracker, sender: str, when: datetime, *events: dict) -> None:
    with tracker.begin() as connection:
        for event in events:
            data = {"timestamp": when.timestamp(), **event}
            connection.execute(
                events_table.insert().values(
                    sender_id=sender,
                    type_name=event["event"],
                    timestamp=when.timestamp(),
                    data=json.dumps(data),
                )
            )


def fill(session, tracker) -> None:
    """Ann's conversation (e-mail in a slot), Ann's console handoff, and Bob's conversation."""
    add_events(
        tracker,
        "ann-1",
        NOW - timedelta(days=2),
        {"event": "user", "text": "where is A1004"},
        {"event": "slot", "name": "email", "value": "Ann.Jansen@example.com"},
        {"event": "bot", "text": "It is on its way."},
    )
    add_events(tracker, "bob-1", NOW - timedelta(days=400), {"event": "user", "text": "hi"})
    with session.begin():
        enqueue(session, "ann-2", Reason.ASKED, email=EMAIL, now=NOW - timedelta(days=1))
        save_rating(session, "ann-1", 5, "quick")
        add_knowledge_gap(session, "do you ship to Mars?", session_id="ann-1")
        add_knowledge_gap(session, "gift wrap?", session_id="bob-1")


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def tracker_senders(tracker) -> set[str]:
    with tracker.connect() as connection:
        return set(connection.scalars(select(events_table.c.sender_id)))


def test_an_export_by_email_holds_every_store_of_that_shopper_only(stores):
    session, tracker = stores
    fill(session, tracker)
    document = export_shopper(Subject(email="ANN.JANSEN@example.com"), session, tracker)
    assert document["conversations"] == ["ann-1", "ann-2"]
    assert {e["conversation"] for e in document["tracker_events"]} == {"ann-1"}
    assert [c["session_id"] for c in document["console_conversations"]] == ["ann-2"]
    assert [r["comment"] for r in document["conversation_ratings"]] == ["quick"]
    assert [g["question"] for g in document["knowledge_gaps"]] == ["do you ship to Mars?"]
    json.dumps(document)  # JSON-ready


def test_erasure_by_email_removes_the_shopper_and_keeps_the_others(stores):
    session, tracker = stores
    fill(session, tracker)
    with session.begin():
        erased = erase_shopper(Subject(email=EMAIL), session, tracker)
    assert erased.conversations == ["ann-1", "ann-2"] and erased.rows["tracker_events"] == 3
    assert tracker_senders(tracker) == {"bob-1"}
    assert count(session, Conversation) == 0 and count(session, ConversationRating) == 0
    assert session.scalars(select(KnowledgeGap.session_id)).all() == ["bob-1"]
    with pytest.raises(ShopperNotFound, match="Nothing is stored"):
        export_shopper(Subject(email=EMAIL), session, tracker)


def test_erasure_by_conversation_id(stores):
    session, tracker = stores
    fill(session, tracker)
    with session.begin():
        erase_shopper(Subject(conversation_id="bob-1"), session, tracker)
    assert tracker_senders(tracker) == {"ann-1"}


def test_a_subject_needs_an_email_or_a_conversation():
    with pytest.raises(ValueError, match="e-mail address or a conversation id"):
        Subject()
    with pytest.raises(ValueError, match="email must be an e-mail address"):
        Subject(email="ann")


def test_the_purge_deletes_only_what_is_past_its_limit(stores):
    session, tracker = stores
    fill(session, tracker)
    with session.begin():
        counts = purge(session, tracker, RetentionDays(180, 365, 730, 365), now=NOW)
    assert counts == {"tracker_events": 1, "knowledge_gaps": 1}  # Bob's old chat and its gap
    assert tracker_senders(tracker) == {"ann-1"}
    later = NOW + timedelta(days=800)
    with session.begin():
        counts = purge(session, tracker, RetentionDays(180, 365, 730, 365), now=later)
    assert tracker_senders(tracker) == set() and count(session, Conversation) == 0
    assert count(session, ConversationRating) == 0 and count(session, KnowledgeGap) == 0


def test_a_retention_of_zero_days_is_refused():
    with pytest.raises(ValueError, match="transcripts must be kept at least 1 day"):
        RetentionDays(0, 1, 1, 1)


def test_the_command_line_exports_erases_and_purges(stores, tmp_path):
    session, tracker = stores
    fill(session, tracker)
    session.close()
    runner = CliRunner()
    out = tmp_path / "ann.json"
    exported = runner.invoke(cli, ["privacy", "export", "--email", EMAIL, "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    assert json.loads(out.read_text())["conversations"] == ["ann-1", "ann-2"]
    erased = runner.invoke(cli, ["privacy", "erase", "--email", EMAIL, "--yes"])
    assert erased.exit_code == 0 and "erased 2 conversations" in erased.output
    missing = runner.invoke(cli, ["privacy", "export", "--email", EMAIL])
    assert missing.exit_code == 1 and "Nothing is stored" in missing.output
    bad = runner.invoke(cli, ["privacy", "erase", "--email", "nobody", "--yes"])
    assert bad.exit_code == 1 and "email must be an e-mail address" in bad.output
    purged = runner.invoke(cli, ["privacy", "purge"])
    assert purged.exit_code == 0 and purged.output.startswith("purged ")
