"""JSON events shared by every replica through PostgreSQL ``LISTEN``/``NOTIFY``, and one leader
among them (a session-level advisory lock) for work that must run once.

Why PostgreSQL: the scaled profile keeps the app database there already, so the console's live
updates need no other engine. A notification reaches every listening connection, the sender's
own included, after the sending transaction commits; payloads are limited to 8000 bytes.
"""

from __future__ import annotations

import json
import logging
import select
import threading
from collections.abc import Callable
from typing import Any

import psycopg2
import psycopg2.extensions

log = logging.getLogger(__name__)
MAX_PAYLOAD_BYTES = 7900  # PostgreSQL refuses notifications of 8000 bytes or more
RECONNECT_SECONDS = 1.0


def is_postgres(url: str) -> bool:
    """Whether ``url`` (an SQLAlchemy URL) names a PostgreSQL database."""
    return url.split(":", 1)[0].split("+", 1)[0] in {"postgresql", "postgres"}


def libpq_dsn(url: str) -> str:
    """The libpq form of an SQLAlchemy PostgreSQL URL (the driver part dropped)."""
    if not is_postgres(url):
        raise ValueError(f"not a PostgreSQL URL: {url.split('@')[-1]!r}")
    return "postgresql:" + url.split(":", 1)[1]


class PostgresBus:
    """Publishes JSON payloads on one channel and hands each received one to a callback."""

    def __init__(self, url: str, channel: str = "fernhill_console") -> None:
        if not channel.isidentifier():
            raise ValueError(f"channel must be an identifier. Currently, channel is {channel!r}")
        self.dsn, self.channel = libpq_dsn(url), channel
        self._send_lock = threading.Lock()
        self._sender: psycopg2.extensions.connection | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.listening = threading.Event()

    def fits(self, payload: dict[str, Any]) -> bool:
        """Whether ``payload`` is small enough for one notification."""
        return len(self._encode(payload).encode()) <= MAX_PAYLOAD_BYTES

    def publish(self, payload: dict[str, Any]) -> None:
        """Sends ``payload`` to every listener (raises ValueError when it is too large)."""
        text = self._encode(payload)
        if len(text.encode()) > MAX_PAYLOAD_BYTES:
            raise ValueError(f"payload of {len(text.encode())} bytes exceeds {MAX_PAYLOAD_BYTES}")
        with self._send_lock:
            for attempt in (1, 2):
                try:
                    if self._sender is None or self._sender.closed:
                        self._sender = psycopg2.connect(self.dsn)
                        self._sender.autocommit = True
                    with self._sender.cursor() as cursor:
                        cursor.execute("SELECT pg_notify(%s, %s)", (self.channel, text))
                    return
                except psycopg2.OperationalError:
                    self._sender = None
                    if attempt == 2:
                        raise

    def listen(self, deliver: Callable[[dict[str, Any]], None]) -> None:
        """Starts a thread that calls ``deliver`` with each payload (reconnecting as needed)."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(
            target=self._listen, args=(deliver,), name=f"listen-{self.channel}", daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        """Stops listening and closes the connections."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._send_lock:
            if self._sender is not None:
                self._sender.close()

    def _listen(self, deliver: Callable[[dict[str, Any]], None]) -> None:
        while not self._stop.is_set():
            try:
                connection = psycopg2.connect(self.dsn)
            except psycopg2.OperationalError as error:
                log.warning("cannot listen on %s: %s", self.channel, error)
                self._stop.wait(RECONNECT_SECONDS)
                continue
            try:
                connection.autocommit = True
                with connection.cursor() as cursor:
                    cursor.execute(f"LISTEN {self.channel}")
                self.listening.set()
                while not self._stop.is_set():
                    if select.select([connection], [], [], 0.5) == ([], [], []):
                        continue
                    connection.poll()
                    while connection.notifies:
                        note = connection.notifies.pop(0)
                        try:
                            deliver(json.loads(note.payload))
                        except Exception:
                            log.exception("a %s notification could not be delivered", self.channel)
            except psycopg2.Error as error:
                log.warning("listening on %s stopped (%s); reconnecting", self.channel, error)
            finally:
                self.listening.clear()
                connection.close()

    @staticmethod
    def _encode(payload: dict[str, Any]) -> str:
        return json.dumps(payload, default=str, separators=(",", ":"))


class Leadership:
    """One holder at a time among the replicas, through ``pg_try_advisory_lock(key)`` on a
    connection kept open: if the holder dies, its connection closes and another takes over."""

    def __init__(self, url: str, key: int) -> None:
        self.dsn, self.key = libpq_dsn(url), key
        self._connection: psycopg2.extensions.connection | None = None
        self._lock = threading.Lock()

    def held(self) -> bool:
        """Whether this process leads now (tries to take the lead when it does not)."""
        with self._lock:
            try:
                if self._connection is None or self._connection.closed:
                    self._connection = psycopg2.connect(self.dsn)
                    self._connection.autocommit = True
                with self._connection.cursor() as cursor:
                    # Taking it again while held stacks; checking pg_locks first keeps one level.
                    cursor.execute(
                        "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
                        " AND pid = pg_backend_pid() AND objid = %s AND granted)"
                        " THEN true ELSE pg_try_advisory_lock(%s) END",
                        (self.key, self.key),
                    )
                    row = cursor.fetchone()
                return bool(row and row[0])
            except psycopg2.Error as error:
                log.warning("cannot check the lead (%s)", error)
                if self._connection is not None:
                    self._connection.close()
                self._connection = None
                return False

    def release(self) -> None:
        """Gives the lead up at once (a closed connection's lock lingers until its backend ends)."""
        with self._lock:
            if self._connection is not None:
                try:
                    with self._connection.cursor() as cursor:
                        cursor.execute("SELECT pg_advisory_unlock_all()")
                except psycopg2.Error:
                    pass
                self._connection.close()
                self._connection = None
