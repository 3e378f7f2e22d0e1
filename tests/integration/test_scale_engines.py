"""The scaled profile on the real engines of this machine: two Rasa replicas (endpoints.scaled.yml)
share conversations in PostgreSQL, Rasa's locks and the widget's sockets in Redis, and send every
event to RabbitMQ; nginx balances them as `make run-scaled` does. The servers start once for the
module; the last test kills a replica."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pika
import pytest
import requests
import socketio
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from bot.scale.balancer import write_nginx_config
from bot.scale.profile import ScaledProfile
from devtools.servers import RASA_BIN, ROOT, Server, free_port, wait_until_ready

# Loading two Rasa models at once takes minutes on a busy 2-core machine: room for it in the first
# test (the servers start once for the module).
pytestmark = [pytest.mark.integration, pytest.mark.timeout(1500)]


@dataclass
class Cluster:
    """Two Rasa replicas on shared engines, nginx in front (None without nginx)."""

    a: Server
    b: Server
    balancer: str | None
    token: str
    queue: str
    senders: list[str]

    def say(self, url: str, sender: str, message: str) -> list[dict]:
        answer = requests.post(
            f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    def events(self, url: str, sender: str) -> list[dict]:
        answer = requests.get(
            f"{url}/conversations/{sender}/tracker",
            params={"token": self.token, "include_events": "ALL"},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        return answer.json()["events"]

    def sender(self) -> str:
        name = f"scale-{uuid.uuid4().hex[:12]}"
        self.senders.append(name)
        return name


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def start_replica(
    tmp: Path, name: str, port: int, env: dict[str, str], token: str, model: Path
) -> Server:
    log = tmp / f"{name}.log"
    argv = [
        str(RASA_BIN), "run", "--model", str(model),
        "--endpoints", str(ROOT / "endpoints.scaled.yml"),
        "--credentials", str(ROOT / "credentials.yml"),
        "--enable-api", f"--auth-token={token}", "--interface", "127.0.0.1", "--port", str(port),
    ]  # fmt: skip
    process = subprocess.Popen(
        argv, cwd=tmp, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    return Server(process, f"http://127.0.0.1:{port}", log, env)


@pytest.fixture(scope="module")
def cluster(request, tmp_path_factory, action_server) -> Iterator[Cluster]:
    # FERNHILL_TEST_RASA_MODEL: a trained model file to use as is (no training check).
    given = os.environ.get("FERNHILL_TEST_RASA_MODEL")
    model = Path(given) if given else request.getfixturevalue("trained_model")
    for engine, port in (("PostgreSQL", 5432), ("Redis", 6379), ("RabbitMQ", 5672)):
        if not reachable("127.0.0.1", port):
            pytest.skip(f"{engine} does not answer on 127.0.0.1:{port}")
    tmp = tmp_path_factory.mktemp("scaled")
    suffix = uuid.uuid4().hex[:10]
    base = 20000 + secrets.randbelow(20000)
    settings = {
        "FERNHILL_PG_TRACKER_DB": f"fernhill_scale_{suffix}",
        "FERNHILL_RABBITMQ_QUEUE": f"fernhill_scale_{suffix}",
        "FERNHILL_REDIS_LOCK_DB": "11",
        "FERNHILL_REDIS_SOCKETIO_DB": "12",
        "FERNHILL_REPLICA_PORT_BASE": str(base),
        "FERNHILL_PUBLIC_PORT": str(free_port()),
        "FERNHILL_RASA_PORT": str(free_port()),
        "FERNHILL_ACTION_PORT": str(free_port()),
    }
    profile = ScaledProfile.from_env(settings)
    admin = create_engine(profile.postgres_url("postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{settings["FERNHILL_PG_TRACKER_DB"]}"'))
    except OperationalError as error:
        pytest.skip(f"PostgreSQL refuses to create a database: {error}")
    token = secrets.token_urlsafe(16)
    env = {
        **os.environ,
        **profile.shared_env(),
        "PYTHONPATH": str(ROOT),
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "ACTION_SERVER_URL": f"{action_server.url}/webhook",
        "FERNHILL_ACTION_WEBHOOK_TOKEN": action_server.env.get("FERNHILL_ACTION_WEBHOOK_TOKEN", ""),
    }
    ports = [r.port for r in profile.replicas() if r.role == "rasa"]
    replicas = [
        start_replica(tmp, f"rasa-{i}", port, env, token, model) for i, port in enumerate(ports)
    ]
    nginx: subprocess.Popen[bytes] | None = None
    try:
        for replica in replicas:
            wait_until_ready(
                f"{replica.url}/status?token={token}", replica.process, replica.log, 600
            )
        balancer = None
        if shutil.which("nginx"):
            config = write_nginx_config(profile, tmp / "nginx", "127.0.0.1")
            nginx_log = tmp / "nginx.log"
            nginx = subprocess.Popen(
                ["nginx", "-p", str(config.parent), "-c", str(config)],
                stdout=nginx_log.open("w"),
                stderr=subprocess.STDOUT,
            )
            balancer = f"http://127.0.0.1:{settings['FERNHILL_RASA_PORT']}"
            wait_until_ready(balancer + "/", nginx, nginx_log, 30)
        yield Cluster(
            replicas[0], replicas[1], balancer, token, settings["FERNHILL_RABBITMQ_QUEUE"], []
        )
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(10)
        for replica in replicas:
            replica.stop()
        with admin.connect() as connection:
            connection.execute(
                text(f'DROP DATABASE IF EXISTS "{settings["FERNHILL_PG_TRACKER_DB"]}" WITH (FORCE)')
            )
        admin.dispose()
        with pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1")) as mq:
            mq.channel().queue_delete(settings["FERNHILL_RABBITMQ_QUEUE"])


def turns(events: list[dict]) -> list[list[dict]]:
    """The tracker's events split at each user message (the events before the first dropped)."""
    split: list[list[dict]] = []
    for event in events:
        if event["event"] == "user":
            split.append([event])
        elif split:
            split[-1].append(event)
    return split


def test_two_replicas_taking_alternate_messages_keep_one_ordered_history(cluster, demo):
    sender = cluster.sender()
    order = demo["shipped"]
    messages = ["hello", "where is my order?", order.order_id, order.email, "thanks"]
    replies = []
    for i, message in enumerate(messages):
        replies.append(cluster.say((cluster.a, cluster.b)[i % 2].url, sender, message))
    assert all(replies), replies
    final = "\n".join(m.get("text") or "" for m in replies[3]).lower()
    assert order.order_id.lower() in final and "on its way" in final  # the form carried across
    seen_by_a, seen_by_b = (
        cluster.events(cluster.a.url, sender),
        cluster.events(cluster.b.url, sender),
    )
    assert seen_by_a == seen_by_b
    assert [t[0]["text"] for t in turns(seen_by_a)] == messages
    for turn in turns(seen_by_a):
        assert (turn[-1]["event"], turn[-1].get("name")) == ("action", "action_listen")
        assert any(e["event"] == "bot" for e in turn), turn


def test_concurrent_messages_to_one_conversation_are_handled_one_at_a_time(cluster):
    sender = cluster.sender()
    cluster.say(cluster.a.url, sender, "hello")
    messages = ["hi", "good morning", "hey", "hello there", "hi!", "good evening"]
    errors: list[BaseException] = []

    def send(i: int) -> None:
        try:
            cluster.say((cluster.a, cluster.b)[i % 2].url, sender, messages[i])
        except BaseException as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(error)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(messages))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    history = turns(cluster.events(cluster.a.url, sender))[1:]
    assert sorted(t[0]["text"] for t in history) == sorted(messages)
    for turn in history:  # each turn ran to its end before the next message was read
        assert [e["event"] for e in turn].count("user") == 1
        assert turn[-1].get("name") == "action_listen", [e["event"] for e in turn]
        assert any(e["event"] == "bot" for e in turn)


def test_an_agent_reply_posted_to_one_replica_reaches_a_widget_on_the_other(cluster):
    session = cluster.sender()
    received: list[dict] = []
    arrived = threading.Event()
    client = socketio.Client(reconnection=False)
    client.on("bot_uttered", lambda data: (received.append(data), arrived.set()))
    confirmed = threading.Event()
    client.on("session_confirm", lambda _data: confirmed.set())
    client.connect(cluster.b.url, transports=["websocket"], socketio_path="/socket.io")
    try:
        client.emit("session_request", {"session_id": session})
        assert confirmed.wait(10)
        client.emit("user_uttered", {"message": "hello", "session_id": session})
        assert arrived.wait(30), "no reply to the widget's own message"
        arrived.clear()
        agent_text = f"Hi, this is Ann from the team ({uuid.uuid4().hex[:6]})."
        posted = requests.post(
            f"{cluster.a.url}/conversations/{session}/tracker/events",
            params={
                "token": cluster.token,
                "output_channel": "latest",
                "execute_side_effects": "true",
            },
            json={"event": "bot", "text": agent_text},
            timeout=30,
        )
        assert posted.status_code == 200, posted.text
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any(
            m.get("text") == agent_text for m in received
        ):
            arrived.wait(0.2)
        assert any(m.get("text") == agent_text for m in received), received
    finally:
        client.disconnect()


def read_queue(name: str) -> list[dict]:
    """Every message waiting in the RabbitMQ queue ``name`` (acknowledged, so read once)."""
    bodies = []
    with pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1")) as mq:
        channel = mq.channel()
        while True:
            method, _properties, body = channel.basic_get(name, auto_ack=True)
            if method is None:
                return bodies
            bodies.append(json.loads(body))


def test_every_event_reaches_rabbitmq_once(cluster):
    assert cluster.senders, "runs after the conversations above"
    stored = Counter(
        (sender, e["event"], e["timestamp"])
        for sender in cluster.senders
        for e in cluster.events(cluster.a.url, sender)
    )
    published: Counter[tuple[str, str, float]] = Counter()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        published.update(
            (e["sender_id"], e["event"], e["timestamp"])
            for e in read_queue(cluster.queue)
            if e.get("sender_id") in cluster.senders
        )
        if published == stored:
            break
        time.sleep(0.5)
    assert sum(stored.values()) > 40
    assert published == stored


def test_a_replica_killed_mid_conversation_loses_nothing_and_the_other_carries_on(cluster, demo):
    """Through nginx when it is installed (it sends the next messages to the replica left),
    else straight to the replicas."""
    sender = cluster.sender()
    order = demo["shipped"]
    before = ["hello", "where is my order?", order.order_id]
    for i, message in enumerate(before):
        cluster.say(cluster.balancer or (cluster.a, cluster.b)[i % 2].url, sender, message)
    cluster.b.process.kill()
    cluster.b.process.wait()
    replies = [
        cluster.say(cluster.balancer or cluster.a.url, sender, m) for m in (order.email, "thanks")
    ]
    answer = "\n".join(m.get("text") or "" for m in replies[0]).lower()
    assert order.order_id.lower() in answer and "on its way" in answer  # the form went on
    history = turns(cluster.events(cluster.a.url, sender))
    assert [t[0]["text"] for t in history] == [*before, order.email, "thanks"]
    assert all(t[-1].get("name") == "action_listen" for t in history)
