"""Authentication of the platforms' webhook calls, always compared in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable


def same_secret(expected: str, received: str | None) -> bool:
    """Whether ``received`` equals ``expected`` (constant time; a missing or empty value never
    matches)."""
    if not expected or not received:
        return False
    return hmac.compare_digest(expected.encode(), received.encode())


def meta_signature(app_secret: str, body: bytes) -> str:
    """Meta's ``X-Hub-Signature-256`` of ``body``: ``sha256=`` + HMAC-SHA256 hex with the app
    secret."""
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def valid_meta_signature(app_secret: str, body: bytes, header: str | None) -> bool:
    """Whether ``header`` (``X-Hub-Signature-256``) signs the raw ``body`` with ``app_secret``."""
    return same_secret(meta_signature(app_secret, body), header)


def twilio_signature(auth_token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    """Twilio's ``X-Twilio-Signature``: base64 HMAC-SHA1 of the full URL followed by each POST
    parameter's name and value, sorted by name."""
    data = url + "".join(f"{name}{value}" for name, value in sorted(params))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()
