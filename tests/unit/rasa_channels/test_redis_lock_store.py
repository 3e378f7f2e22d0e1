"""The atomic Redis lock store (Rasa side; run with .venv-rasa) on the local Redis: replicas
issuing tickets for one conversation at the same moment never share a ticket, and a finished
turn's clean-up never drops a ticket another replica is waiting with."""

from __future__ import annotations

import threading
import uuid

import pytest

pytest.importorskip("rasa", reason="Rasa-side test: run with .venv-rasa/bin/python")

import redis  # noqa: E402
from rasa.utils.endpoints import EndpointConfig  # noqa: E402

from rasa_channels.redis_lock_store import AtomicRedisLockStore  # noqa: E402

pytestmark = pytest.mark.unit
DB = 14


@pytest.fixture()
def replicas() -> list[AtomicRedisLockStore]:
    try:
        redis.Redis(db=DB).ping()
    except redis.ConnectionError as error:
        pytest.skip(f"Redis is not running on 127.0.0.1:6379: {error}")
    config = EndpointConfig(url="127.0.0.1", port="6379", db=str(DB), key_prefix="locktest")
    return [AtomicRedisLockStore(endpoint_config=config) for _ in range(6)]


def test_tickets_issued_at_once_by_several_replicas_are_all_different(replicas):
    conversation = f"lock-{uuid.uuid4().hex}"
    tickets: list[int] = []
    start = threading.Barrier(len(replicas))

    def issue(store: AtomicRedisLockStore) -> None:
        start.wait()
        for _ in range(40):
            tickets.append(store.issue_ticket(conversation, 60))

    threads = [threading.Thread(target=issue, args=(store,)) for store in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(tickets) == list(range(len(replicas) * 40))
    lock = replicas[0].get_lock(conversation)
    assert lock is not None and len(lock.tickets) == len(tickets)


def test_a_clean_up_keeps_the_tickets_of_others_and_the_last_one_deletes_the_lock(replicas):
    conversation = f"lock-{uuid.uuid4().hex}"
    first = replicas[0].issue_ticket(conversation, 60)
    second = replicas[1].issue_ticket(conversation, 60)

    replicas[0].cleanup(conversation, first)
    lock = replicas[2].get_lock(conversation)
    assert lock is not None and lock.now_serving == second

    replicas[1].cleanup(conversation, second)
    assert replicas[2].get_lock(conversation) is None
