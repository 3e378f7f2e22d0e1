"""Short notices the assistant sends when one of its own parts failed (not a dialogue answer)."""

from __future__ import annotations

ACTION_FAILED_APOLOGY = (
    "Sorry, something went wrong on our side. Please send that again in a moment."
)
"""The shopper's reply to a turn that a failed custom action left silent (the action server was
down, restarting or answered with an error); see ``rasa_channels/failed_turns.py``."""
