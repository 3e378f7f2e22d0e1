"""A request to a messaging app's API, as the renderers build it and the channels send it."""

from __future__ import annotations

from typing import Any

from typing_extensions import TypedDict


class ApiCall(TypedDict):
    """One API request: the method (or path) and its JSON body (form fields for Twilio)."""

    method: str
    body: dict[str, Any]


class Button(TypedDict, total=False):
    """A button of a reply as Rasa hands it to a channel (``title`` and ``payload``, or ``url``)."""

    title: str
    payload: str
    url: str


def button_title(button: Button) -> str:
    """What the button says (its payload when it has no title)."""
    return str(button.get("title") or button.get("payload") or "").strip()


def button_payload(button: Button) -> str:
    """What pressing the button sends back (its title when it has no payload)."""
    return str(button.get("payload") or button.get("title") or "").strip()
