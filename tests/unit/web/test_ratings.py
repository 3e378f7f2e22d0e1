import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.appdata import ConversationRating, get_app_engine
from bot.web.conversation_keys import KEY_HEADER, conversation_key

pytestmark = pytest.mark.unit

SESSION = "0f3c9a1e2b4d4c6e8a0b1c2d3e4f5a6b"
RATING = f"/api/conversations/{SESSION}/rating"


@pytest.fixture(autouse=True)
def with_the_conversations_key(client):
    """Every call here comes from the conversation's own browser (tests/unit/web/
    test_security_ratings.py covers the others)."""
    client.headers[KEY_HEADER] = conversation_key(SESSION)


def stored(url: str) -> list[tuple[str, int, str | None]]:
    with Session(get_app_engine(url)) as session:
        rows = session.scalars(select(ConversationRating)).all()
        return [(r.session_id, r.stars, r.comment) for r in rows]


def test_a_rating_is_stored_with_its_conversation(client, app_database_url):
    answer = client.post(RATING, json={"stars": 4, "comment": " Quick! "})
    assert answer.status_code == 201
    assert answer.json()["stars"] == 4 and answer.json()["comment"] == "Quick!"
    assert stored(app_database_url) == [(SESSION, 4, "Quick!")]
    assert client.get(RATING).json()["stars"] == 4


def test_a_second_rating_replaces_the_first(client, app_database_url):
    client.post(RATING, json={"stars": 2, "comment": "slow"})
    answer = client.post(RATING, json={"stars": 5})
    assert answer.status_code == 201
    assert stored(app_database_url) == [(SESSION, 5, None)]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"stars": 0}, "stars"),
        ({"stars": 6}, "stars"),
        ({"stars": "4"}, "stars"),
        ({"stars": 3.5}, "stars"),
        ({"stars": True}, "stars"),
        ({}, "stars"),
        ({"stars": 3, "comment": "x" * 2001}, "comment"),
        ({"stars": 3, "admin": True}, "admin"),
    ],
)
def test_invalid_ratings_are_422_with_the_reason(client, app_database_url, body, field):
    answer = client.post(RATING, json=body)
    assert answer.status_code == 422
    errors = answer.json()["detail"]
    assert any(field in error["loc"] and error["msg"] for error in errors), errors
    assert stored(app_database_url) == []


def test_a_comment_of_2000_characters_is_accepted(client):
    answer = client.post(RATING, json={"stars": 1, "comment": "y" * 2000})
    assert answer.status_code == 201 and len(answer.json()["comment"]) == 2000


@pytest.mark.parametrize("session_id", ["has space", "x" * 129, "semi;colon"])
def test_bad_session_ids_are_refused(client, session_id):
    answer = client.post(f"/api/conversations/{session_id}/rating", json={"stars": 3})
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"][-1] == "session_id"


def test_an_unrated_conversation_is_404(client):
    answer = client.get(RATING)
    assert answer.status_code == 404
    assert answer.json()["detail"] == "This conversation has no rating"


def test_the_widget_may_post_ratings_from_the_shops_origin(client):
    preflight = client.options(
        RATING,
        headers={
            "Origin": "http://127.0.0.1:8000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, x-conversation-key",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "http://127.0.0.1:8000"
