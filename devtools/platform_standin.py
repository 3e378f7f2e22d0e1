"""A local stand-in for the messaging apps' APIs (Telegram Bot API, WhatsApp Cloud API, Messenger
Send API and user profiles, Twilio Messages API) that records every request, and a Rasa server
started with the channels pointed at it. The channel tests and ``benchmarks/channels.py`` use
them."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests

from devtools.servers import ROOT, Server, free_port, start_rasa_server


@dataclass(frozen=True)
class ApiRequest:
    """One request the stand-in received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    at: float

    @property
    def json(self) -> Any:
        """The body read as JSON."""
        return json.loads(self.body)

    @property
    def form(self) -> dict[str, str]:
        """The body read as form fields (Twilio)."""
        return dict(parse_qsl(self.body.decode()))

    @property
    def api_method(self) -> str:
        """The last part of the path (``sendMessage``, ``messages``, ``Messages.json``)."""
        return self.path.rstrip("/").rsplit("/", 1)[-1]


_GRAPH_UNKNOWN_USER = {
    "error": {
        "message": "Unsupported get request. Object with ID does not exist",
        "type": "GraphMethodException",
        "code": 100,
        "error_subcode": 33,
    }
}


def _answer_for(path: str, number: int) -> tuple[int, dict[str, Any]]:
    """What the real API answers to a successful call at ``path``."""
    if "/bot" in path:
        return 200, {"ok": True, "result": {"message_id": number, "date": int(time.time())}}
    if path.endswith("/Messages.json"):
        return 201, {"sid": f"SM{number:032x}", "status": "queued"}
    if path.endswith("/me/messages"):
        return 200, {"recipient_id": "0", "message_id": f"m_standin{number}"}
    return 200, {"messaging_product": "whatsapp", "messages": [{"id": f"wamid.standin{number}"}]}


class PlatformStandIn:
    """An HTTP server on 127.0.0.1 that answers like the platforms' APIs and records requests."""

    def __init__(self) -> None:
        self.requests: list[ApiRequest] = []
        self._lock = threading.Condition()
        # (status, JSON answer) to answer the next calls with, e.g. a platform's error
        self.failures: list[tuple[int, dict[str, Any]]] = []
        # Graph API profiles by PSID or IGSID (GET {api}/{id}); other ids get Graph's error
        self.profiles: dict[str, dict[str, Any]] = {}
        # the GET requests (profile look-ups), apart from the messages sent
        self.lookups: list[ApiRequest] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def _answer(self, status: int, answer: dict[str, Any]) -> None:
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                url = urlsplit(self.path)
                query = dict(parse_qsl(url.query))
                headers = {k.lower(): v for k, v in self.headers.items()}
                request = ApiRequest("GET", url.path, query, headers, b"", time.monotonic())
                with stand_in._lock:
                    stand_in.lookups.append(request)
                    profile = stand_in.profiles.get(request.api_method)
                if profile is None:
                    self._answer(400, _GRAPH_UNKNOWN_USER)
                    return
                fields = query.get("fields", "").split(",")
                self._answer(
                    200,
                    {
                        "id": request.api_method,
                        **{key: value for key, value in profile.items() if key in fields},
                    },
                )

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                url = urlsplit(self.path)
                request = ApiRequest(
                    "POST",
                    url.path,
                    dict(parse_qsl(url.query)),
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                    time.monotonic(),
                )
                with stand_in._lock:
                    stand_in.requests.append(request)
                    number = len(stand_in.requests)
                    failure = stand_in.failures.pop(0) if stand_in.failures else None
                    stand_in._lock.notify_all()
                self._answer(*(failure or _answer_for(url.path, number)))

        self._server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def since(self, start: int) -> list[ApiRequest]:
        """The requests received after the first ``start`` ones."""
        with self._lock:
            return list(self.requests[start:])

    def wait_for(self, count: int, start: int = 0, timeout: float = 60.0) -> list[ApiRequest]:
        """Waits until ``count`` requests arrived after the first ``start`` ones; returns them
        all (more may follow: the caller asserts what it expects)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self.requests) - start < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"{count} API requests expected, {len(self.requests) - start} came: "
                        f"{[r.path for r in self.requests[start:]]}"
                    )
                self._lock.wait(left)
            return list(self.requests[start:])

    def close(self) -> None:
        """Stops the server."""
        self._server.shutdown()
        self._server.server_close()


class ChannelRasa:
    """A Rasa server with the messaging apps' settings, on one port and restartable on the same
    tracker database (to check what survives a restart: the apps' retries, the widget's
    reconnection) and with other settings (to check unconfigured channels)."""

    def __init__(
        self,
        tmp: Path,
        action_url: str,
        token: str,
        env: dict[str, str],
        model: Path = ROOT / "models",
    ) -> None:
        self.tmp, self.action_url, self.token, self.env = tmp, action_url, token, env
        self.tracker_db, self.model = tmp / "tracker.db", model
        self.port = free_port()
        self.server: Server | None = None
        self.start()

    @property
    def url(self) -> str:
        """Where the server listens (the same port across restarts)."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, env: dict[str, str] | None = None) -> None:
        """Starts the server (with ``env`` instead of its settings) unless it is running."""
        if self.server is not None:
            return
        self.server = start_rasa_server(
            self.tmp,
            self.action_url,
            self.token,
            port=self.port,
            tracker_db=self.tracker_db,
            extra_env=self.env if env is None else env,
            model=self.model,
        )

    def restart(self, env: dict[str, str] | None = None) -> None:
        """Stops the server and starts it again (with ``env`` instead of its settings)."""
        self.stop()
        self.start(env)

    def stop(self) -> None:
        """Stops the server."""
        if self.server is not None:
            self.server.stop()
            self.server = None

    def events(self, conversation: str) -> list[dict[str, Any]]:
        """The tracker events of ``conversation`` (Rasa's HTTP API)."""
        answer = requests.get(
            f"{self.url}/conversations/{conversation}/tracker",
            params={"token": self.token},
            timeout=30,
        )
        answer.raise_for_status()
        events: list[dict[str, Any]] = answer.json()["events"]
        return events

    def user_events(self, conversation: str) -> list[dict[str, Any]]:
        """The shopper's messages in ``conversation``."""
        return [e for e in self.events(conversation) if e["event"] == "user"]

    def add_event(self, conversation: str, event: dict[str, Any]) -> Any:
        """Appends ``event`` and sends it through the conversation's latest channel, as the
        agents' console does."""
        return requests.post(
            f"{self.url}/conversations/{conversation}/tracker/events",
            params={
                "token": self.token,
                "output_channel": "latest",
                "execute_side_effects": "true",
            },
            json=event,
            timeout=60,
        )
