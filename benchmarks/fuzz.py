"""Fuzz benchmark: random and adversarial messages through Rasa's REST channel with the real
action server; counts server errors, empty turns and loops.

Each conversation is a new shopper sending 1 to 6 messages; a third of the odd messages are sent
two or three times in a row (the path that once looped). The kinds of message: empty and blank,
emoji, other scripts, 10,000 characters, control characters, HTML, JSON, SQL, only numbers, an
order number or an e-mail address alone, Rasa's button syntax with unknown intents and broken
entities, Markdown, random Unicode, and shop questions with typos.

- **server error**: the webhook answered anything but 200 with a JSON list, or did not answer
  within the time limit;
- **empty turn**: no message from the assistant, unless a person has the conversation (Rasa's
  tracker says ``paused``; checked through the HTTP API when the token is known);
- **loop**: one turn holds the same text twice, or 8 messages or more (Rasa's action limit is 10).

The servers are started here (the trained model in models/, a private seeded shop, no agent
online), or ``--rasa-url`` (with ``--token``) talks to a running Rasa:

    PYTHONPATH=. .venv/bin/python benchmarks/fuzz.py --messages 10000
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

LOOP_MESSAGES = 8
Maker = Callable[[random.Random], str]
SCRIPTS = [
    "你们支持退货吗",
    "مرحبا كيف حالك",
    "Привет, где мой заказ?",
    "नमस्ते",
    "こんにちは",
    "안녕하세요",
]
EMOJI = ["😀", "🙏", "📦", "❤️", "🤬", "👍🏽", "🇳🇱", "\u200d", "🧦"]
QUESTIONS = [
    "where is my order",
    "how much is shipping to germany",
    "can i return my shoes",
    "i want to cancel my order",
    "do you have a waterproof jacket",
    "talk to a human",
    "what is your phone number",
    "hello",
    "thanks, bye",
    "my parcel is late and i am angry",
]


def _typo(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(chars))
        chars[at] = rng.choice("abcdefghijklmnopqrstuvwxyz ")
    return "".join(chars)


MAKERS: dict[str, Maker] = {
    "empty": lambda rng: rng.choice(["", " ", "\n", "\t \n"]),
    "emoji": lambda rng: "".join(rng.choices(EMOJI, k=rng.randint(1, 6))),
    "other_script": lambda rng: rng.choice(SCRIPTS),
    "huge": lambda rng: rng.choice(["a", "where is my order ", "😀"]) * 10_000,
    "control": lambda rng: (
        "".join(chr(rng.choice([0, 1, 7, 8, 11, 27, 127])) for _ in range(5))
        + rng.choice(["", "hi", "order"])
    ),
    "html": lambda rng: rng.choice(
        ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<b>hi</b>", "</div>"]
    ),
    "json": lambda rng: rng.choice(['{"text": "hi"}', "[1, 2, 3]", "null", '{"__proto__": {}}']),
    "sql": lambda rng: rng.choice(
        ["'; DROP TABLE orders; --", "1 OR 1=1", "A1234' OR '1'='1", '" UNION SELECT *']
    ),
    "numbers": lambda rng: str(rng.randint(0, 10 ** rng.randint(1, 30))),
    "order_number": lambda rng: rng.choice(["A", "a", "#A", "A-"]) + f"{rng.randint(0, 9999):04d}",
    "email": lambda rng: f"{uuid.uuid4().hex[:8]}@example.{rng.choice(['com', 'nl'])}",
    "button": lambda rng: rng.choice(
        [
            "/track_order",
            "/affirm",
            "/deny",
            "/nonexistent_intent",
            '/track_order{"order_id": "A0000"}',
            "/track_order{broken",
            "/",
            '/inform{"email": 5}',
        ]
    ),
    "markdown": lambda rng: rng.choice(["**bold**", "[x](javascript:alert(1))", "`code`", "# h"]),
    "unicode": lambda rng: "".join(
        chr(rng.choice([rng.randint(32, 0xD7FF), rng.randint(0xE000, 0x10FFFF)]))
        for _ in range(rng.randint(1, 40))
    ),
    "question_typo": lambda rng: _typo(rng, rng.choice(QUESTIONS)),
}
ODD = [k for k in MAKERS if k != "question_typo"]


def conversation(rng: random.Random) -> list[tuple[str, str]]:
    """One shopper's messages as (kind, text); odd ones are often sent two or three times."""
    messages: list[tuple[str, str]] = []
    while len(messages) < rng.randint(1, 6):
        kind = rng.choice(list(MAKERS))
        text = MAKERS[kind](rng)
        repeat = rng.choice([2, 3]) if kind in ODD and rng.random() < 1 / 3 else 1
        messages.extend([(kind, text)] * repeat)
    return messages


@dataclass
class Turn:
    kind: str
    status: int | None
    seconds: float
    messages: list[dict[str, Any]] = field(default_factory=list)
    paused: bool = False
    text: str = ""

    @property
    def server_error(self) -> bool:
        return self.status != 200

    @property
    def empty(self) -> bool:
        return not self.server_error and not self.messages and not self.paused

    @property
    def loop(self) -> bool:
        texts = [m["text"] for m in self.messages if m.get("text")]
        return len(self.messages) >= LOOP_MESSAGES or len(texts) != len(set(texts))


def _paused(url: str, token: str | None, sender: str) -> bool:
    if not token:
        return False
    answer = requests.get(
        f"{url}/conversations/{sender}/tracker", params={"token": token}, timeout=30
    )
    return bool(answer.ok and answer.json().get("paused"))


def talk(
    url: str,
    token: str | None,
    messages: list[tuple[str, str]],
    timeout: float,
    deadline: float = float("inf"),
) -> list[Turn]:
    """Sends one conversation's messages in order as a new shopper (none after ``deadline``,
    a ``time.monotonic()`` value)."""
    if time.monotonic() > deadline:
        return []
    sender = f"fuzz-{uuid.uuid4().hex[:12]}"
    turns: list[Turn] = []
    for kind, text in messages:
        started = time.perf_counter()
        try:
            answer = requests.post(
                f"{url}/webhooks/rest/webhook",
                json={"sender": sender, "message": text},
                timeout=timeout,
            )
            body = answer.json() if answer.status_code == 200 else None
            ok = answer.status_code != 200 or isinstance(body, list)
            status = answer.status_code if ok else -1  # -1: a 200 whose body is no JSON list
        except (requests.RequestException, ValueError):
            body, status = None, None
        turn = Turn(kind, status, time.perf_counter() - started, body or [], text=text)
        if turn.status == 200 and not turn.messages:
            turn.paused = _paused(url, token, sender)
        turns.append(turn)
    return turns


def run_fuzz(
    url: str,
    token: str | None,
    messages: int,
    seed: int = 0,
    workers: int = 4,
    timeout: float = 60,
    max_seconds: float | None = None,
) -> list[Turn]:
    """Sends at least ``messages`` messages in conversations generated from ``seed``; with
    ``max_seconds``, starts no conversation after that time (the figures say how many ran)."""
    deadline = float("inf") if max_seconds is None else time.monotonic() + max_seconds
    rng = random.Random(seed)
    plans: list[list[tuple[str, str]]] = []
    while sum(len(p) for p in plans) < messages:
        plans.append(conversation(rng))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        done = pool.map(lambda plan: talk(url, token, plan, timeout, deadline), plans)
        return [turn for turns in done for turn in turns]


def figures(turns: list[Turn]) -> dict[str, Any]:
    """The counts, latencies and which kinds of message failed."""
    seconds = sorted(t.seconds for t in turns)
    failed: Counter[str] = Counter()
    for turn in turns:
        for name in ("server_error", "empty", "loop"):
            if getattr(turn, name):
                failed[f"{name}:{turn.kind}"] += 1
    return {
        "messages": len(turns),
        "server_errors": sum(t.server_error for t in turns),
        "empty_turns": sum(t.empty for t in turns),
        "loops": sum(t.loop for t in turns),
        "paused_silent_turns": sum(t.paused for t in turns),
        "latency_median_ms": round(1000 * statistics.median(seconds), 1) if seconds else None,
        "latency_p95_ms": round(1000 * seconds[int(0.95 * (len(seconds) - 1))], 1)
        if seconds
        else None,
        "by_kind": dict(sorted(Counter(t.kind for t in turns).items())),
        "failed": dict(sorted(failed.items())),
        # What went wrong, for the first server errors: the HTTP status ("no answer" within the
        # timeout, "not a list" for a 200 whose body is no JSON list), the time and the message.
        "server_error_details": [
            {
                "kind": t.kind,
                "status": {None: "no answer", -1: "not a list"}.get(t.status, t.status),
                "seconds": round(t.seconds, 1),
                "message": t.text[:80],
            }
            for t in turns
            if t.server_error
        ][:20],
    }


def start_servers(tmp: Path, patience: float = 300) -> tuple[str, str, list[Any]]:
    """The action server (configured generator, compose mode, a seeded shop, no agent online)
    and Rasa on free ports, each given ``patience`` seconds to become ready; returns Rasa's URL,
    its API token and the servers."""
    import secrets

    import devtools.servers

    wait = devtools.servers.wait_until_ready

    def patient(url: str, process: Any, log: Path, timeout: float) -> None:
        try:
            wait(url, process, log, max(timeout, patience))
        except TimeoutError:
            process.kill()  # not left running when it never became ready
            raise

    devtools.servers.wait_until_ready = patient

    from bot.commerce import get_engine, seed_database
    from bot.settings import get_settings
    from devtools.servers import start_action_server, start_rasa_server

    shop = f"sqlite:///{tmp / 'shop.db'}"
    engine = get_engine(shop)
    seed_database(engine)
    engine.dispose()
    env = {
        "FERNHILL_GENERATOR_MODEL": get_settings().generator_model,
        "FERNHILL_APP_DATABASE_URL": f"sqlite:///{tmp / 'app.db'}",
        "FERNHILL_GENERATOR_TIME_LIMIT_S": str(get_settings().generator_time_limit_s),
        "FERNHILL_ANSWER_MODE": "compose",
    }
    actions = start_action_server(tmp, shop, extra_env=env)
    token = secrets.token_urlsafe(16)
    try:
        rasa = start_rasa_server(tmp, actions.url, token)
    except BaseException:
        actions.stop()
        raise
    return rasa.url, token, [rasa, actions]


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Runs the fuzz, prints the figures as JSON and returns them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rasa-url", default=None, help="Talk to this running Rasa server.")
    parser.add_argument(
        "--start-timeout", type=float, default=300, help="Seconds each server may take to start."
    )
    parser.add_argument(
        "--max-seconds", type=float, default=None, help="Start no conversation after this time."
    )
    parser.add_argument("--token", default=None, help="Its HTTP API token (to tell paused turns).")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="fuzz-bench-") as tmp:
        servers: list[Any] = []
        try:
            url, token = args.rasa_url, args.token
            if url is None:
                url, token, servers = start_servers(Path(tmp), args.start_timeout)
            started = time.perf_counter()
            turns = run_fuzz(
                url, token, args.messages, args.seed, args.workers, max_seconds=args.max_seconds
            )
            elapsed = time.perf_counter() - started
        finally:
            for server in servers:
                server.stop()
    out = {**figures(turns), "seconds": round(elapsed, 1), "seed": args.seed}
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return out


if __name__ == "__main__":
    main()
