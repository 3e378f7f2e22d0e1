"""The app database unreachable (its SQLite file's place taken by a folder, so no connection
opens): API calls that need it answer 503 with a JSON reason, and work again once it is back. A
missing table is no outage: a 500 that says what to do, not a 503 to retry."""

from pathlib import Path

import pytest
from sqlalchemy import text

from bot.appdata import get_app_engine
from bot.web.app import DATABASE_DOWN, DATABASE_SCHEMA
from bot.web.conversation_keys import KEY_HEADER, conversation_key

pytestmark = pytest.mark.unit

SESSION = "5d1f0e2a9c7b4a3e8f6d2c1b0a9e8d7c"
RATING = f"/api/conversations/{SESSION}/rating"


def test_an_unreachable_app_database_is_a_503_with_a_reason_until_it_is_back(
    client, app_database_url, tmp_path: Path
):
    client.headers[KEY_HEADER] = conversation_key(SESSION)
    assert client.post(RATING, json={"stars": 3}).status_code == 201

    database = Path(app_database_url.removeprefix("sqlite:///"))
    aside = tmp_path / "aside.db"
    get_app_engine(app_database_url).dispose()  # pooled connections would still reach the file
    database.rename(aside)
    database.mkdir()
    for call in (lambda: client.post(RATING, json={"stars": 1}), lambda: client.get(RATING)):
        answer = call()
        assert answer.status_code == 503
        assert answer.json() == {"detail": DATABASE_DOWN}
        assert answer.headers["retry-after"] == "30"

    database.rmdir()
    aside.rename(database)
    assert client.get(RATING).json()["stars"] == 3
    assert client.post(RATING, json={"stars": 5}).status_code == 201


def test_a_missing_table_is_a_500_that_says_so_not_an_outage(client, app_database_url):
    client.headers[KEY_HEADER] = conversation_key(SESSION)
    with get_app_engine(app_database_url).begin() as connection:
        connection.execute(text("DROP TABLE conversation_ratings"))

    answer = client.get(RATING)

    assert answer.status_code == 500
    assert answer.json() == {"detail": DATABASE_SCHEMA}
    assert "retry-after" not in answer.headers
