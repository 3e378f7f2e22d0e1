"""Agents of the console: accounts with argon2id password hashes, sign-in sessions that expire,
and a limit on failed sign-ins."""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.handoff.models import Agent, AgentSession, Role

MIN_PASSWORD_CHARS = 12
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = PasswordHasher()
# Checked against when the e-mail is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AgentError(ValueError):
    """An agent could not be created or changed; the message says why."""


def check_password(password: str) -> None:
    """Raises :class:`AgentError` unless ``password`` is long enough."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise AgentError(f"the password must have at least {MIN_PASSWORD_CHARS} characters")


def normalise_email(email: str) -> str:
    """The e-mail as stored (trimmed, lower case); raises :class:`AgentError` if malformed."""
    email = email.strip().lower()
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        raise AgentError(f"not a valid e-mail address: {email!r}")
    return email


def create_agent(session: Session, email: str, name: str, password: str, role: Role) -> Agent:
    """Adds an agent; raises :class:`AgentError` for a taken e-mail or a weak password."""
    email = normalise_email(email)
    check_password(password)
    if not name.strip():
        raise AgentError("the name must not be empty")
    if session.scalar(select(Agent).where(Agent.email == email)) is not None:
        raise AgentError(f"an agent with e-mail {email} already exists")
    agent = Agent(
        email=email,
        name=name.strip()[:80],
        role=role.value,
        active=True,
        password_hash=_hasher.hash(password),
        created_at=datetime.now(UTC),
    )
    session.add(agent)
    session.flush()
    return agent


def set_password(agent: Agent, password: str) -> None:
    """Replaces the agent's password (hashed)."""
    check_password(password)
    agent.password_hash = _hasher.hash(password)


def count_admins(session: Session) -> int:
    """How many active admins exist."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Agent)
            .where(Agent.role == Role.ADMIN.value, Agent.active)
        )
        or 0
    )


def authenticate(session: Session, email: str, password: str) -> Agent | None:
    """The active agent with these credentials, or ``None`` (same work either way)."""
    agent = session.scalar(select(Agent).where(Agent.email == email.strip().lower()))
    try:
        _hasher.verify(agent.password_hash if agent else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if agent is None or not agent.active:
        return None
    if _hasher.check_needs_rehash(agent.password_hash):
        agent.password_hash = _hasher.hash(password)
    agent.last_login_at = datetime.now(UTC)
    return agent


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewSession:
    """A session just opened: the cookie's token (shown once) and the CSRF token."""

    token: str
    csrf_token: str
    expires_at: datetime


def open_session(session: Session, agent: Agent, minutes: int) -> NewSession:
    """Starts a sign-in session of ``minutes`` for ``agent`` (expired ones are cleaned up)."""
    now = datetime.now(UTC)
    session.execute(delete(AgentSession).where(AgentSession.expires_at < now))
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = now + timedelta(minutes=minutes)
    session.add(
        AgentSession(
            token_hash=_digest(token),
            csrf_token=csrf,
            agent_id=agent.id,
            created_at=now,
            expires_at=expires,
        )
    )
    session.flush()
    return NewSession(token, csrf, expires)


def find_session(session: Session, token: str) -> AgentSession | None:
    """The live session of a cookie token whose agent is still active, else ``None``."""
    row = session.scalar(select(AgentSession).where(AgentSession.token_hash == _digest(token)))
    if row is None or row.expires_at <= datetime.now(UTC) or not row.agent.active:
        return None
    return row


def agents_signed_in(session: Session) -> bool:
    """Whether any active agent has a live console session."""
    query = (
        select(AgentSession.id)
        .join(AgentSession.agent)
        .where(AgentSession.expires_at > datetime.now(UTC), Agent.active)
        .limit(1)
    )
    return session.scalar(query) is not None


def has_agents(session: Session) -> bool:
    """Whether the console has any active agent account."""
    return session.scalar(select(Agent.id).where(Agent.active).limit(1)) is not None


def close_session(session: Session, token: str) -> None:
    """Signs a cookie token out."""
    session.execute(delete(AgentSession).where(AgentSession.token_hash == _digest(token)))


def close_sessions_of(session: Session, agent_id: int) -> None:
    """Signs an agent out everywhere (after deactivation or a password change)."""
    session.execute(delete(AgentSession).where(AgentSession.agent_id == agent_id))


class LoginLimiter:
    """Failed sign-ins per key (e-mail + client address) in a sliding window, in memory.

    One web-app process keeps its own counts; several processes would share them in Redis.
    """

    def __init__(self, attempts: int, window_seconds: float) -> None:
        if attempts < 1:
            raise ValueError(f"attempts must be at least 1. Currently, attempts is {attempts}")
        self.attempts, self.window = attempts, window_seconds
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> int:
        """Seconds until ``key`` may try again; 0 when it may now."""
        with self._lock:
            failures = self._prune(key)
            if len(failures) < self.attempts:
                return 0
            return max(1, int(failures[0] + self.window - time.monotonic()) + 1)

    def failed(self, key: str) -> None:
        """Counts a failed sign-in of ``key``."""
        with self._lock:
            self._prune(key).append(time.monotonic())

    def succeeded(self, key: str) -> None:
        """Forgets ``key``'s failures."""
        with self._lock:
            self._failures.pop(key, None)

    def _prune(self, key: str) -> deque[float]:
        failures = self._failures[key]
        while failures and failures[0] <= time.monotonic() - self.window:
            failures.popleft()
        return failures
