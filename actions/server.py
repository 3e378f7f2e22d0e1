"""The action server: rasa_sdk's app plus the knowledge endpoints. Run ``python -m actions.server``.

Rasa's calls (``POST /webhook``, ``GET /actions``) need the shared webhook token (Rasa's
``action_endpoint`` ``token``, sent as ``?token=``; or ``Authorization: Bearer``): without it
they are refused (401/403), so nobody else can run actions with a forged tracker. Every action's
answer passes :func:`bot.conversation.turn_guard.guard_answer` (no repeats, no loops in a turn).
The server listens on 127.0.0.1 unless ``SANIC_HOST`` says otherwise.

Routes added to rasa_sdk's (``/health``, ``/webhook``, ``/actions``):

- ``POST /knowledge/reload`` (``Authorization: Bearer <token>``): loads the rebuilt index and
  swaps it in while queries go on; 401 without a token, 403 with a wrong one.
- ``POST /generator/measure`` (the same token): measures the reply generator's speed again, now
  that the cores are free, unless it is already known from a measurement with the cores free or
  from replies (``?force=true``: always). ``scripts/run.sh`` asks once every service is up: the
  measurement at start often shares the cores with Rasa loading.
- ``GET /knowledge/status``: what index is loaded, since when, and the reply generator's state
  (``speed_basis``: what its speed estimate rests on).
- ``GET /ready``: 200 once the index and the reply generator are loaded and warm, else 503;
  ``index`` says why knowledge answers are unavailable (``missing: <folder>``, ``corrupt: …``).
  The server starts without an index: knowledge questions then get a polite "can't look that
  up right now" and order tasks still work (docs/reliability.md).

Importing this module has no side effects (rasa_sdk's executor imports every module of the
``actions`` package); the server is built in :func:`create_server_app` and started in :func:`main`.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
from typing import Any

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

log = logging.getLogger(__name__)


def check_bearer(
    header: str | None, token: str | None, what: str = "reloading"
) -> tuple[int, str] | None:
    """``None`` when ``header`` carries ``token``; else the HTTP status and the reason (``what``
    names the refused operation)."""
    if not token:
        return (
            403,
            f"{what} is disabled: no action API token is configured (FERNHILL_ACTION_API_TOKEN)",
        )
    if not header:
        return 401, "missing 'Authorization: Bearer <token>' header"
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        return 401, "the Authorization header must be 'Bearer <token>'"
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        return 403, "invalid token"
    return None


def refused(refusal: tuple[int, str]) -> HTTPResponse:
    """The JSON answer to a request :func:`check_bearer` refused."""
    status, reason = refusal
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return response.json({"status": "refused", "reason": reason}, status=status, headers=headers)


WEBHOOK_PATHS = ("/webhook", "/actions")


def guarded_executor() -> Any:
    """rasa_sdk's executor whose every answer passes the turn guard: messages already sent in
    the turn are dropped and a looping turn ends by listening
    (:mod:`bot.conversation.turn_guard`)."""
    from rasa_sdk.executor import ActionExecutor, ActionExecutorRunResult

    from bot.conversation.turn_guard import guard_answer

    class GuardedExecutor(ActionExecutor):
        async def run(
            self, action_call: dict[str, Any], *args: Any, **kwargs: Any
        ) -> ActionExecutorRunResult | None:
            result = await super().run(action_call, *args, **kwargs)
            if result is None:
                return None
            tracker = action_call.get("tracker") or {}
            events, responses = guard_answer(
                tracker.get("events") or [],
                str(action_call.get("next_action") or ""),
                list(result.events),
                list(result.responses),
            )
            return ActionExecutorRunResult(events=events, responses=responses)

    return GuardedExecutor()


def check_webhook_token(request: Request, token: str | None) -> tuple[int, str] | None:
    """``None`` when Rasa's call carries the shared webhook ``token`` (``?token=`` as Rasa sends
    it, or a bearer header); else the HTTP status and the reason."""
    if not token:
        return (
            403,
            "actions are disabled: no webhook token is configured (FERNHILL_ACTION_WEBHOOK_TOKEN)",
        )
    given = request.args.get("token")
    if given is None:
        return check_bearer(request.headers.get("authorization"), token, "running actions")
    if not hmac.compare_digest(given.encode(), token.encode()):
        return 403, "invalid token"
    return None


def add_webhook_guard(app: Sanic, token: str | None) -> None:
    """Refuses calls to ``/webhook`` and ``/actions`` without the shared webhook ``token``."""

    @app.on_request
    async def require_token(request: Request) -> HTTPResponse | None:
        if request.path.rstrip("/") not in WEBHOOK_PATHS:
            return None
        refusal = check_webhook_token(request, token)
        if refusal is None:
            return None
        log.warning("refused a call to %s: %s", request.path, refusal[1])
        return refused(refusal)


def add_knowledge_routes(app: Sanic) -> None:
    """Adds ``/knowledge/reload``, ``/knowledge/status``, ``/generator/measure`` and ``/ready``;
    warms the retriever and the generator at start."""
    from bot.generation.service import get_generator_service
    from bot.knowledge.errors import KnowledgeError
    from bot.knowledge.service import get_holder, index_state
    from bot.settings import get_settings

    @app.post("/knowledge/reload")
    async def reload_knowledge(request: Request) -> HTTPResponse:
        refusal = check_bearer(
            request.headers.get("authorization"), get_settings().resolved_action_api_token()
        )
        if refusal:
            return refused(refusal)
        try:
            result = await asyncio.to_thread(get_holder().reload)
        except KnowledgeError as error:
            log.warning("knowledge reload failed, the old index stays: %s", error)
            return response.json({"status": "failed", "reason": str(error)}, status=409)
        return response.json(
            {
                "status": "reloaded",
                "generation": result.generation,
                "seconds": round(result.seconds, 3),
                **result.info,
            }
        )

    @app.post("/generator/measure")
    async def measure_generator(request: Request) -> HTTPResponse:
        refusal = check_bearer(
            request.headers.get("authorization"),
            get_settings().resolved_action_api_token(),
            "measuring",
        )
        if refusal:
            return refused(refusal)
        force = request.args.get("force", "").lower() in ("1", "true", "yes")
        service = get_generator_service()
        outcome = await asyncio.to_thread(service.measure_speed, force)
        return response.json(
            {"status": outcome, "generator": service.status()},
            status=503 if outcome == "not ready" else 200,
        )

    @app.get("/knowledge/status")
    async def knowledge_status(_: Request) -> HTTPResponse:
        body: dict[str, Any] = {
            "index_dir": str(get_settings().index_dir),
            **get_holder().status(),
            "generator": get_generator_service().status(),
        }
        return response.json(body)

    @app.get("/ready")
    async def ready(_: Request) -> HTTPResponse:
        # 200 once the index and the generator are loaded and warm; 503 (with what is missing) before.
        # "index" says why knowledge answers are unavailable: "missing: <folder>", "corrupt: …".
        index, generator = get_holder().status(), get_generator_service().status()
        is_ready = bool(index["loaded"]) and bool(generator["ready"])
        body = {
            "ready": is_ready,
            "index": index_state(),
            "index_loaded": index["loaded"],
            "generator": generator,
        }
        return response.json(body, status=200 if is_ready else 503)

    @app.after_server_start
    async def warm_up(server: Sanic) -> None:
        # Load the model and index now rather than on the first shopper's question.
        async def load() -> None:
            try:
                await asyncio.to_thread(get_holder().get)
            except KnowledgeError as error:
                log.warning("knowledge index not loaded: %s", error)
            except Exception as error:  # noqa: BLE001 - the server runs on; /ready says why
                log.error("knowledge index not loaded: %s: %s", type(error).__name__, error)
            try:
                await asyncio.to_thread(get_generator_service().warm_up)
            except Exception as error:  # noqa: BLE001 - answers fall back to passages; /ready says why
                log.error("reply generator not loaded: %s", error)

        server.ctx.knowledge_warm_up = asyncio.get_running_loop().create_task(
            load()
        )  # keep a reference


def create_server_app(
    actions_package: str = "actions",
    cors_origins: str | list[str] | None = None,
    webhook_token: str | None = None,
) -> Sanic:
    """rasa_sdk's Sanic app for ``actions_package`` with the knowledge routes.

    Args:
        actions_package: The package whose actions are served.
        cors_origins: Origins browsers may call from (default none: only Rasa calls it).
        webhook_token: The token Rasa sends (default: the ``action_webhook_token`` setting,
            else var/action-webhook-token); without one every action call is refused.
    """
    from rasa_sdk.endpoint import create_app

    from bot.settings import get_settings

    executor = guarded_executor()
    executor.register_package(actions_package)
    app = create_app(executor, cors_origins=cors_origins or [])
    add_webhook_guard(app, webhook_token or get_settings().resolved_action_webhook_token())
    add_knowledge_routes(app)
    return app


def main(argv: list[str] | None = None) -> None:
    """Parses rasa_sdk's command line (``--port``, ``--actions``, ``--cors``…) and serves."""
    from rasa_sdk import utils
    from rasa_sdk.endpoint import create_argument_parser

    from bot.privacy.masking import install_log_masking

    args = create_argument_parser().parse_args(argv)
    utils.configure_colored_logging(args.loglevel)
    install_log_masking()  # shoppers' e-mails, phones, addresses and cards never reach the log
    logging.getLogger("bot").setLevel(args.loglevel or logging.INFO)
    utils.update_sanic_log_level()
    app = create_server_app(args.actions_module or args.actions or "actions", args.cors)
    # Only Rasa calls it, from this machine by default; SANIC_HOST=0.0.0.0 opens it to others.
    host = os.environ.get("SANIC_HOST", "127.0.0.1")
    log.info("Action endpoint with knowledge routes on http://%s:%s", host, args.port)
    app.run(host=host, port=args.port, single_process=True, access_log=False, motd=False)


if __name__ == "__main__":
    main()
