"""Per-conversation keys: the web app starts each widget conversation and hands its browser a
key (an HMAC of the conversation id under the app's secret); the rating API accepts a rating
only with that key, so nobody else can rate or read another shopper's conversation."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path

from bot.settings import PROJECT_ROOT, get_settings

KEY_FILE = PROJECT_ROOT / "var" / "conversation-key"
KEY_HEADER = "X-Conversation-Key"


def _read_or_make(path: Path) -> bytes:
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as file:
        file.write(secrets.token_urlsafe(32).encode())
    return path.read_bytes().strip()


@lru_cache(maxsize=1)
def app_secret() -> bytes:
    """The secret keys are signed with: the ``conversation_key_secret`` setting, else
    var/conversation-key (made on first use, readable by its owner only)."""
    configured = get_settings().conversation_key_secret
    return configured.encode() if configured else _read_or_make(KEY_FILE)


def new_conversation_id() -> str:
    """A fresh, unguessable conversation (Rasa sender) id."""
    return secrets.token_hex(16)


def conversation_key(session_id: str, secret: bytes | None = None) -> str:
    """The key of conversation ``session_id`` (the same for every replica sharing the secret)."""
    digest = hmac.new(secret or app_secret(), f"rating:{session_id}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:24]).decode()


def key_matches(session_id: str, given: str | None, secret: bytes | None = None) -> bool:
    """Whether ``given`` is the key of ``session_id`` (compared in constant time)."""
    if not given:
        return False
    return hmac.compare_digest(given.encode(), conversation_key(session_id, secret).encode())
