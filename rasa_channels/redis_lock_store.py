"""Rasa's Redis lock store with atomic updates, for several Rasa replicas.

Rasa 3.6's ``RedisLockStore`` changes a conversation's ticket lock by reading it from Redis,
changing it in Python and writing it back. Two replicas issuing a ticket at the same moment both
read the same lock, both take the same ticket number and one write wins: both then handle a
message of the conversation at once, and the SQL tracker store (which appends the events beyond
the count it finds) drops one turn's events, while the event broker still publishes them. The
same race loses a waiting ticket when a finished turn cleans up.

Here every change of a lock (issue a ticket, drop expired ones, finish serving, clean up) is one
optimistic Redis transaction: ``WATCH`` the key, read, change, ``MULTI``/``EXEC``, and again
from the read when another replica changed the key in between.

endpoints (``endpoints.scaled.yml``)::

    lock_store:
      type: rasa_channels.redis_lock_store.AtomicRedisLockStore
      url: <host>
      port: <port>
      db: <db>
      key_prefix: fernhill
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import redis  # type: ignore[import-untyped]
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

T = TypeVar("T")
Change = Callable[[TicketLock | None], tuple[TicketLock | None, T]]


class AtomicRedisLockStore(RedisLockStore):
    """``RedisLockStore`` whose lock changes are Redis transactions."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs, **kwargs}
        if "port" in kwargs:
            kwargs["port"] = int(kwargs["port"])
        if "db" in kwargs:
            kwargs["db"] = int(kwargs["db"])
        super().__init__(**kwargs)

    def _change(self, conversation_id: str, change: Change[T]) -> T:
        """Applies ``change`` to the conversation's lock in one transaction; the lock it returns
        is saved (None: deleted), and its second value returned."""
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    new, result = change(lock)
                    pipe.multi()
                    if new is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, new.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another replica changed the lock: read it again

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: TicketLock | None) -> tuple[TicketLock | None, int]:
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def finish(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        def finish_and_drop(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, finish_and_drop)
