"""Rasa's REST channel (``/webhooks/rest/webhook``, name ``rest``) with the apology for a turn
that a failed custom action left silent (:mod:`rasa_channels.failed_turns`).

Configure it in credentials.yml in place of ``rest:``::

    rasa_channels.rest.RestInput:
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint

from rasa_channels.failed_turns import FailedTurnGuard


class RestInput(RasaRestInput):
    """Rasa's REST input channel; a silent turn after a failed action gets a short apology."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        guard = FailedTurnGuard()
        return guard.watch(super().blueprint(guard.wrap(on_new_message)))
