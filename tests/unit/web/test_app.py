import pytest
from fastapi.testclient import TestClient

from bot.web.app import create_app
from tests.integration.servers import free_port

pytestmark = pytest.mark.unit


@pytest.fixture()
def client_without_rasa():
    # Nothing listens on this port: the page must still load and say the assistant is away.
    with TestClient(create_app(f"http://127.0.0.1:{free_port()}")) as client:
        yield client


def test_page_loads_without_rasa(client_without_rasa):
    page = client_without_rasa.get("/")
    assert page.status_code == 200 and "Fernhill Goods" in page.text
    assert client_without_rasa.get("/static/chat.js").status_code == 200
    assert client_without_rasa.get("/health").json() == {"status": "ok", "rasa": "unreachable"}


def test_chat_without_rasa_is_a_503_with_a_reason(client_without_rasa):
    answer = client_without_rasa.post("/api/chat", json={"sender": "s1", "message": "hi"})
    assert answer.status_code == 503
    assert "not reachable" in answer.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [{"sender": "s1"}, {"sender": "", "message": "hi"}, {"sender": "a b<script>", "message": "hi"},
     {"sender": "s1", "message": "x" * 10_001}, {"message": "hi"}],
)
def test_bad_chat_requests_are_422_with_details(client_without_rasa, body):
    answer = client_without_rasa.post("/api/chat", json=body)
    assert answer.status_code == 422
    assert answer.json()["detail"]
