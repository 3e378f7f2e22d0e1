"""What WhatsApp's Cloud API and Messenger share as Meta webhooks: the verification ``GET`` and
the ``X-Hub-Signature-256`` header (see :mod:`bot.channels.signatures`)."""

from __future__ import annotations

from collections.abc import Mapping

from bot.channels.signatures import same_secret

SIGNATURE_HEADER = "X-Hub-Signature-256"


def verification_challenge(params: Mapping[str, str], verify_token: str) -> str | None:
    """The ``hub.challenge`` to echo when Meta verifies the webhook (``hub.mode=subscribe`` and
    the configured verify token); None when the request is not a valid verification."""
    if params.get("hub.mode") != "subscribe":
        return None
    if not same_secret(verify_token, params.get("hub.verify_token")):
        return None
    challenge = params.get("hub.challenge")
    return challenge or None
