"""Model files from packages, the knowledge-gap table, and the shopper's mood."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.appdata import get_app_engine, get_app_sessionmaker, upgrade_app_database
from bot.appdata.knowledge_gaps import KnowledgeGap, record_knowledge_gap, top_knowledge_gaps
from bot.conversation.knowledge_answers import ConversationFacts, is_upset, prompt_context
from bot.generation import models
from bot.generation.models import ModelSourceError, gguf_of, join_qwen, qwen_parts, smollm2_file

pytestmark = pytest.mark.unit


def test_the_packaged_models_are_found_through_package_metadata():
    parts = qwen_parts()
    assert [p.name for p in parts] == [f"part0{i}.bin" for i in range(1, 7)]
    assert sum(p.stat().st_size for p in parts) == models.QWEN_SIZE
    assert smollm2_file().name == "SmolLM2-135M-Instruct.Q4_1.gguf"


def test_a_joined_file_with_the_wrong_checksum_is_a_clear_error(tmp_path, monkeypatch):
    pieces = []
    for i in range(2):
        piece = tmp_path / f"part0{i}.bin"
        piece.write_bytes(b"not a model" * 10)
        pieces.append(piece)
    monkeypatch.setattr(models, "qwen_parts", lambda: pieces)
    with pytest.raises(ModelSourceError, match="not the expected one: 220 bytes.*reinstall"):
        join_qwen(tmp_path / "cache")
    assert not list((tmp_path / "cache" / "gguf").iterdir())  # nothing half-written is left


def test_a_missing_gguf_file_is_a_clear_error(tmp_path):
    with pytest.raises(ModelSourceError, match="does not exist"):
        gguf_of(str(tmp_path / "missing.gguf"), tmp_path)
    assert gguf_of(str(tmp_path), tmp_path) is None  # a folder loads as it is


def test_knowledge_gaps_are_stored_and_counted(tmp_path):
    engine = get_app_engine(f"sqlite:///{tmp_path / 'app.db'}")
    assert record_knowledge_gap(
        "Can I pay with gold bars?", "s1", "rest", "check_payment_methods", engine
    )
    assert record_knowledge_gap("can i pay with gold bars", "s2", "socketio", None, engine)
    assert record_knowledge_gap("Do you sell cars?", "s3", None, None, engine)
    with get_app_sessionmaker(engine)() as session:
        rows = session.scalars(select(KnowledgeGap).order_by(KnowledgeGap.id)).all()
        top = top_knowledge_gaps(session)
    assert [r.session_id for r in rows] == ["s1", "s2", "s3"] and rows[0].channel == "rest"
    assert (top[0].question.lower().startswith("can i pay"), top[0].times) == (True, 2)
    engine.dispose()


def test_the_app_schema_includes_the_knowledge_gaps(tmp_path):
    engine = get_app_engine(f"sqlite:///{tmp_path / 'app.db'}")
    upgrade_app_database(engine)
    from sqlalchemy import inspect

    assert "knowledge_gaps" in inspect(engine).get_table_names()
    engine.dispose()


def test_a_gap_that_cannot_be_written_does_not_break_the_answer(tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("FERNHILL_APP_DATABASE_URL", f"sqlite:///{tmp_path / 'a-file' / 'app.db'}")
    from bot.settings import get_settings

    get_settings.cache_clear()
    try:
        assert record_knowledge_gap("anything?") is False  # logged, never raised
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize(
    ("text", "upset"),
    [
        ("This is ridiculous, my order is late again!", True),
        ("I'm really disappointed with the delivery", True),
        ("still waiting for my parcel", True),
        ("how much is shipping to germany?", False),
        ("thanks, that's great", False),
    ],
)
def test_upset_messages_are_recognised(text, upset):
    assert is_upset(text) is upset


def test_frustration_counts_upset_messages_in_the_conversation():
    events = [
        {"event": "user", "text": "where is my parcel? this is awful"},
        {"event": "bot", "text": "Let me check."},
        {"event": "user", "text": "still nothing, I'm so annoyed. how long does shipping take?"},
    ]
    context = prompt_context(events[-1]["text"], ConversationFacts(events=events, name="Sanne"))
    assert context.upset and context.frustration == 2 and context.mood == "negative"
    assert [t.role for t in context.history] == ["user", "assistant"] and context.name == "Sanne"
