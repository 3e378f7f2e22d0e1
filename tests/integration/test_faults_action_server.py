"""The action server killed (SIGKILL) and restarted under a running Rasa: the shopper gets a
short apology instead of silence, the next message after the restart works, and the order
database holds a cancellation whole or not at all. The module starts its own action server, Rasa
and shop database (the session's servers are shared by other tests and must not be killed)."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
import requests
import socketio
from sqlalchemy import select

from bot.commerce import get_engine, seed_database
from bot.commerce.enums import OrderStatus
from bot.commerce.models import Order, Refund
from bot.messages import ACTION_FAILED_APOLOGY
from devtools.demo import demo_orders
from devtools.servers import (
    APP_PYTHON,
    ROOT,
    Server,
    free_port,
    start_action_server,
    start_rasa_server,
)
from tests.integration.conftest import new_shopper

pytestmark = pytest.mark.integration

FAST_ANSWERS = {"FERNHILL_ANSWER_MODE": "compose"}  # no model to load: a restart takes seconds


@dataclass
class Stack:
    """The module's own servers; the action server can be killed and started again on its port."""

    tmp: Path
    shop_url: str
    actions: Server
    rasa: Server
    token: str
    starts: int = 1

    @property
    def action_port(self) -> int:
        return int(self.actions.url.rsplit(":", 1)[1])

    def kill_actions(self) -> None:
        self.actions.process.kill()  # SIGKILL: no clean shutdown, as in a crash
        self.actions.process.wait(timeout=30)

    def restart_actions(self) -> None:
        if self.actions.process.poll() is None:
            self.kill_actions()
        self.starts += 1
        folder = self.tmp / f"actions-{self.starts}"
        folder.mkdir()
        self.actions = start_action_server(
            folder, self.shop_url, extra_env=FAST_ANSWERS, port=self.action_port
        )


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, trained_model: Path) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("faults-actions")
    shop_url = f"sqlite:///{tmp / 'shop.db'}"
    engine = get_engine(shop_url)
    seed_database(engine)
    engine.dispose()
    (tmp / "actions-1").mkdir()
    port = free_port()
    # Rasa loads for minutes and needs the action server only once a turn runs: start both at once.
    with ThreadPoolExecutor(max_workers=1) as pool:
        starting = pool.submit(
            start_action_server, tmp / "actions-1", shop_url, extra_env=FAST_ANSWERS, port=port
        )
        token = secrets.token_urlsafe(16)
        try:
            rasa = start_rasa_server(tmp, f"http://127.0.0.1:{port}", token)
        except BaseException:
            starting.result().stop()
            raise
        actions = starting.result()
    stack = Stack(tmp, shop_url, actions, rasa, token)
    yield stack
    stack.rasa.stop()
    stack.actions.stop()


def shopper(stack: Stack) -> Callable[[str], list[dict]]:
    return new_shopper(stack.rasa.url, "fault", timeout=120)


def widget_turn(stack: Stack, message: str) -> list[str]:
    """Sends ``message`` as the web widget does (Rasa's socket.io channel) in a new
    conversation; returns the texts of the bot messages that arrive within 30 s."""
    session = f"widget-{uuid.uuid4().hex[:12]}"
    received: list[str] = []
    arrived = threading.Event()
    confirmed = threading.Event()
    client = socketio.Client(reconnection=False)
    client.on("bot_uttered", lambda data: (received.append(data.get("text") or ""), arrived.set()))
    client.on("session_confirm", lambda _data: confirmed.set())
    client.connect(stack.rasa.url, transports=["websocket"], socketio_path="/socket.io")
    try:
        client.emit("session_request", {"session_id": session})
        assert confirmed.wait(10)
        client.emit("user_uttered", {"message": message, "session_id": session})
        arrived.wait(30)
        time.sleep(0.5)  # a second message of the turn, if any
    finally:
        client.disconnect()
    return received


def kept_bot_events(stack: Stack, sender: str) -> list[dict]:
    """The bot events of the conversation in Rasa's tracker."""
    tracker = requests.get(
        f"{stack.rasa.url}/conversations/{sender}/tracker",
        params={"token": stack.token},
        timeout=30,
    )
    assert tracker.status_code == 200, tracker.text
    return [e for e in tracker.json()["events"] if e["event"] == "bot"]


def texts(messages: list[dict]) -> list[str]:
    return [m.get("text") or "" for m in messages]


def order_state(shop_url: str, order_id: str) -> tuple[str, str, list[str]]:
    """(status, cancellation fee, refund references) of the order, read from the database."""
    engine = get_engine(shop_url)
    try:
        with engine.connect() as connection:
            status, fee = connection.execute(
                select(Order.status, Order.cancellation_fee).where(Order.id == order_id)
            ).one()
            refunds = connection.scalars(
                select(Refund.reference).where(Refund.order_id == order_id)
            ).all()
    finally:
        engine.dispose()
    return OrderStatus(status).value, str(fee), list(refunds)


def action_call_in_flight(stack: Stack, timeout: float = 60.0) -> bool:
    """Waits until Rasa holds an open connection to the action server (an action call)."""
    rasa = psutil.Process(stack.rasa.process.pid)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in [rasa, *rasa.children(recursive=True)]:
            for connection in process.net_connections(kind="tcp"):
                if (
                    connection.raddr
                    and connection.raddr.port == stack.action_port
                    and connection.status == psutil.CONN_ESTABLISHED
                ):
                    return True
        time.sleep(0.05)
    return False


def test_an_action_server_killed_mid_turn_gives_an_apology_and_the_next_turn_works(stack: Stack):
    talk = shopper(stack)
    assert "€3.95" in " ".join(texts(talk("how much is shipping to the netherlands?")))
    # Frozen, so that the turn's action call is surely under way when the server dies.
    os.kill(stack.actions.process.pid, signal.SIGSTOP)
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            turn = pool.submit(talk, "how long do refunds take?")
            assert action_call_in_flight(stack), "Rasa never called the action server"
            stack.kill_actions()
            assert texts(turn.result()) == [ACTION_FAILED_APOLOGY]
        kept = kept_bot_events(stack, talk.sender)  # type: ignore[attr-defined]
        assert kept[-1]["text"] == ACTION_FAILED_APOLOGY
        assert kept[-1]["metadata"]["fault"] == "action_failed"
        # While it is down, the widget's channel gets the same apology.
        assert widget_turn(stack, "how long do refunds take?") == [ACTION_FAILED_APOLOGY]
    finally:
        stack.restart_actions()
    again = texts(talk("how long do refunds take?"))
    assert again and ACTION_FAILED_APOLOGY not in again
    assert "refund" in " ".join(again).lower()


def test_a_cancellation_is_written_whole_or_not_at_all(stack: Stack):
    order = demo_orders(stack.shop_url)["paid"]
    before = order_state(stack.shop_url, order.order_id)
    assert before[0] == "paid"
    talk = shopper(stack)
    talk(f"I want to cancel order {order.order_id}")
    assert "shall i cancel" in " ".join(texts(talk(order.email))).lower()
    stack.kill_actions()
    try:
        # The confirmation reaches Rasa while no action server runs: nothing is written.
        assert texts(talk("yes")) == [ACTION_FAILED_APOLOGY]
        assert order_state(stack.shop_url, order.order_id) == before
    finally:
        stack.restart_actions()
    # The shopper sends it again, as the apology asks: the cancellation is made, all of it.
    done = " ".join(texts(talk("yes"))).lower()
    assert "cancelled" in done, done
    status, _, refunds = order_state(stack.shop_url, order.order_id)
    assert status == "cancelled" and len(refunds) == len(before[2]) + 1  # a paid order's refund


# The order service as the action server runs it, held once it has written the whole
# cancellation into the open transaction (the order row, then its refund), before the commit.
HELD_CANCELLATION = """
import sys, time
from sqlalchemy import event
from sqlalchemy.orm import Session
from bot.commerce.service import OrderService

@event.listens_for(Session, "after_flush")
def hold(session, context):
    written = sorted({type(o).__name__ for o in [*session.new, *session.dirty]})
    print("written:" + ",".join(written), flush=True)
    if "Refund" in written:
        time.sleep(120)

OrderService.from_url(sys.argv[1]).cancel_order(sys.argv[2], sys.argv[3])
"""


def test_a_process_killed_between_writing_and_committing_leaves_the_order_untouched(tmp_path):
    shop_url = f"sqlite:///{tmp_path / 'shop.db'}"
    engine = get_engine(shop_url)
    seed_database(engine)
    engine.dispose()
    order = demo_orders(shop_url)["paid"]
    before = order_state(shop_url, order.order_id)
    child = subprocess.Popen(
        [str(APP_PYTHON), "-c", HELD_CANCELLATION, shop_url, order.order_id, order.email],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        flushes = [child.stdout.readline().strip(), child.stdout.readline().strip()]
        # The order's new status is in the transaction before its refund is.
        assert flushes[0] == "written:Order" and "Refund" in flushes[1], flushes
    finally:
        child.kill()  # SIGKILL mid-transaction
        child.wait(timeout=30)
    assert order_state(shop_url, order.order_id) == before
