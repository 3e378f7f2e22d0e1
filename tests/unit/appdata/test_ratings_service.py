from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.appdata import (
    ConversationRating,
    get_app_engine,
    get_rating,
    save_rating,
    upgrade_app_database,
)

pytestmark = pytest.mark.unit


@pytest.fixture()
def session(tmp_path):
    engine = get_app_engine(f"sqlite:///{tmp_path / 'app.db'}")
    upgrade_app_database(engine)
    with Session(engine) as db:
        yield db


def test_save_and_read_a_rating(session):
    saved = save_rating(session, "s1", 5, "  lovely  ")
    session.commit()
    assert (saved.stars, saved.comment) == (5, "lovely")
    assert get_rating(session, "s1") == saved
    assert get_rating(session, "other") is None


def test_blank_comment_is_stored_as_none_and_a_new_rating_replaces_the_old(session):
    first = save_rating(session, "s1", 2, "meh")
    second = save_rating(session, "s1", 4, "   ")
    assert second.comment is None and second.stars == 4
    assert second.created_at == first.created_at and second.updated_at >= first.updated_at
    assert session.query(ConversationRating).count() == 1


@pytest.mark.parametrize("stars", [0, 6, True, 2.5, "3"])
def test_stars_outside_1_to_5_are_refused(session, stars):
    with pytest.raises(ValueError, match="stars must be a whole number from 1 to 5"):
        save_rating(session, "s1", stars, None)


def test_long_comments_are_refused(session):
    with pytest.raises(ValueError, match="at most 2000 characters"):
        save_rating(session, "s1", 3, "x" * 2001)


def test_the_table_itself_refuses_bad_stars(session):
    now = datetime.now(UTC)
    session.add(ConversationRating(session_id="s9", stars=9, created_at=now, updated_at=now))
    with pytest.raises(IntegrityError):
        session.flush()
