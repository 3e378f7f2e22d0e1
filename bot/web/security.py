"""Closed doors of the web app: CORS only for the shop's own origins on the paths the embedded
widget uses, and security headers on every response (a Content-Security-Policy that allows this
app's scripts and the hashes of the page's own inline scripts, frame-ancestors, a referrer
policy, no MIME sniffing)."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Pages of the shop embed the widget: its files and the API it calls answer the shop's origins.
CROSS_ORIGIN_PREFIXES = ("/widget/", "/shared/", "/api/conversations")
KEY_HEADER = "X-Conversation-Key"
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)
FIXED_HEADERS = {
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def parse_origins(setting: str) -> list[str]:
    """The origins of a comma-separated setting, each as ``scheme://host[:port]``.

    Raises:
        ValueError: An entry is not an http(s) origin.
    """
    origins = []
    for entry in (part.strip() for part in setting.split(",")):
        if not entry:
            continue
        parts = urlsplit(entry)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            raise ValueError(
                "FERNHILL_ALLOWED_ORIGINS must list origins like https://shop.example.com. "
                f"Currently, it has {entry!r}"
            )
        origins.append(f"{parts.scheme}://{parts.netloc}")
    return origins


def socket_sources(url: str | None) -> list[str]:
    """What ``connect-src`` needs for Rasa's socket.io at ``url``: its origin over http(s) and ws(s)."""
    if not url:
        return []
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return []
    ws = "wss" if parts.scheme == "https" else "ws"
    return [f"{parts.scheme}://{parts.netloc}", f"{ws}://{parts.netloc}"]


def content_security_policy(body: bytes | None, connect: Iterable[str] = ()) -> str:
    """The policy of a response: for an HTML ``body``, this app's files and the page's own
    inline scripts (by hash); for anything else, nothing may load."""
    if body is None:
        return "default-src 'none'; frame-ancestors 'self'"
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(body)
    ]
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(["script-src 'self'", *hashes]),
            "style-src 'self' 'unsafe-inline'",  # the widget sets its colours per page
            "img-src 'self' data:",
            " ".join(["connect-src 'self'", *connect]),
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


class SecurityHeaders:
    """Adds the security headers to every HTTP response (HTML pages are read whole to hash
    their inline scripts; other bodies stream through)."""

    def __init__(self, app: ASGIApp, connect: Iterable[str] = ()) -> None:
        self.app = app
        self.connect = list(connect)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        body: list[bytes] = []

        async def wrapped(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("content-type", "").startswith("text/html"):
                    start = message  # sent with the whole body, once its scripts are hashed
                    return
                self._add(headers, None)
                await send(message)
            elif start is not None and message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                whole = b"".join(body)
                headers = MutableHeaders(scope=start)
                self._add(headers, whole)
                headers["content-length"] = str(len(whole))
                await send(start)
                await send({"type": "http.response.body", "body": whole})
            else:
                await send(message)

        await self.app(scope, receive, wrapped)

    def _add(self, headers: MutableHeaders, html: bytes | None) -> None:
        for name, value in FIXED_HEADERS.items():
            headers.setdefault(name, value)
        if "content-security-policy" not in headers:  # a page's own, stricter policy stays
            headers["Content-Security-Policy"] = content_security_policy(html, self.connect)


class ShopOrigins:
    """CORS for the paths the embedded widget uses, for the shop's origins only; none elsewhere."""

    def __init__(
        self,
        app: ASGIApp,
        origins: list[str],
        prefixes: tuple[str, ...] = CROSS_ORIGIN_PREFIXES,
    ) -> None:
        self.app = app
        self.prefixes = prefixes
        self.cors = CORSMiddleware(
            app,
            allow_origins=origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", KEY_HEADER],
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefixes):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
