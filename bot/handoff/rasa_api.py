"""The calls the console makes to Rasa's HTTP API (``--enable-api`` with ``--auth-token``).

Agents' replies and notices are ``bot`` events appended with ``output_channel=latest`` and
``execute_side_effects=true``: Rasa stores them and sends them through the shopper's latest
channel, also while the conversation is paused. Handing back appends ``resume``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from bot.messages import Card, bot_card_event


class RasaUnavailable(RuntimeError):
    """Rasa did not answer, or refused the call; the message says which and why."""


class RasaApi:
    """A small async client of one Rasa server."""

    def __init__(self, base_url: str, token: str | None, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._params = {"token": token} if token else {}
        self._client = httpx.AsyncClient(timeout=timeout)

    async def close(self) -> None:
        """Closes the connection pool."""
        await self._client.aclose()

    def _url(self, session_id: str, tail: str) -> str:
        # Rasa's routes do not unquote the id: characters allowed in a path segment stay as
        # they are (the messaging apps' ids are "whatsapp:316…", "twilio:+31…").
        return f"{self.base_url}/conversations/{quote(session_id, safe=':+@')}/{tail}"

    async def tracker(self, session_id: str) -> dict[str, Any]:
        """The conversation's tracker (events, slots, paused) since its last restart."""
        tracker: dict[str, Any] = await self._call(
            "GET",
            self._url(session_id, "tracker"),
            params={**self._params, "include_events": "AFTER_RESTART"},
        )
        return tracker

    async def append(self, session_id: str, events: list[dict[str, Any]]) -> None:
        """Appends ``events`` and sends their messages to the shopper's latest channel."""
        params = {**self._params, "output_channel": "latest", "execute_side_effects": "true"}
        await self._call(
            "POST", self._url(session_id, "tracker/events"), params=params, json=events
        )

    async def say(self, session_id: str, text: str, metadata: dict[str, Any]) -> None:
        """Sends an agent's text to the shopper."""
        await self.append(session_id, [{"event": "bot", "text": text, "metadata": metadata}])

    async def card(
        self, session_id: str, card: Card, metadata: dict[str, Any] | None = None
    ) -> None:
        """Sends a card (e.g. :func:`bot.messages.agent_joined_card`) to the shopper; the
        channel reads ``metadata`` (e.g. a ``message_tag``)."""
        event: dict[str, Any] = dict(bot_card_event(card))
        if metadata:
            event["metadata"] = metadata
        await self.append(session_id, [event])

    async def resume(self, session_id: str) -> None:
        """Hands the conversation back: the bot answers the shopper's next message."""
        # action_listen first: the next message then looks like any turn to the policies
        # (rules expect it after a listen), and a fallback loop left open is closed.
        await self.append(
            session_id,
            [
                {"event": "active_loop", "name": None},
                {"event": "action", "name": "action_listen"},
                {"event": "resume"},
            ],
        )

    async def _call(self, method: str, url: str, **kwargs: Any) -> Any:
        try:
            answer = await self._client.request(method, url, **kwargs)
        except httpx.HTTPError as error:
            raise RasaUnavailable(f"Rasa is unreachable at {self.base_url}: {error}") from error
        if answer.status_code in (401, 403):
            raise RasaUnavailable("Rasa refused the console's token (FERNHILL_RASA_TOKEN)")
        if answer.status_code >= 400:
            raise RasaUnavailable(f"Rasa answered {answer.status_code}: {answer.text[:200]}")
        return answer.json() if answer.content else None
