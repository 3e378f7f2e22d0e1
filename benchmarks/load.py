"""Load benchmark: simulated shoppers against a running assistant (the default stack of `make run`
or the scaled one of `make run-scaled`), over Rasa's REST channel and the widget's socket.io.

Each shopper runs conversations drawn from a mix like the shop's traffic (weights in ``MIX``):
greetings and small talk (intent-only turns), an order tracked with e-mail verification, a
knowledge question, a recommendation, a request for a person; it pauses ``--think`` seconds
(uniform, 1.5-4.5 s by default, as people read and type) between messages. Concurrency rises in
steps (``--steps 1,10,50,100``), each step running ``--duration`` seconds; a last step with no
pauses (``--saturate`` shoppers) measures the saturation throughput. Per step and kind of turn
it prints p50 / p95 / p99 latency (to the first reply), turns, errors and throughput, and writes
the figures as JSON (``--out``).

    .venv/bin/python benchmarks/load.py --url http://127.0.0.1:5005 --label default
    .venv/bin/python benchmarks/load.py --url http://127.0.0.1:8000 --label scaled

Order turns need demo orders: ``--shop-db`` (default: the shop database of the settings).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests
import socketio

from bot.settings import get_settings
from devtools.demo import DemoOrder, demo_orders

INTENT, ORDER, KNOWLEDGE, RECOMMEND, HANDOFF = (
    "intent",
    "order",
    "knowledge",
    "recommend",
    "handoff",
)
KINDS = (INTENT, ORDER, KNOWLEDGE, RECOMMEND, HANDOFF)
SMALL_TALK = ["hello", "hi there", "good morning", "how are you?", "thanks", "thank you!", "bye"]
QUESTIONS = [
    "what is your returns policy?",
    "how long does delivery to Germany take?",
    "do you ship to Switzerland?",
    "can I pay with PayPal?",
    "how much is express shipping?",
    "is the trail backpack waterproof?",
]
RECOMMENDATIONS = ["can you recommend a backpack for hiking?", "what do you suggest as a gift?"]
# Conversation: (weight, [(kind, message or None for the order's own values)]).
MIX: list[tuple[int, list[tuple[str, str]]]] = [
    (45, [(INTENT, "greet"), (INTENT, "small talk"), (INTENT, "thanks")]),
    (
        20,
        [(INTENT, "greet"), (ORDER, "where is my order?"), (ORDER, "<order>"), (ORDER, "<email>")],
    ),
    (20, [(INTENT, "greet"), (KNOWLEDGE, "<question>")]),
    (10, [(RECOMMEND, "<recommendation>")]),
    (5, [(INTENT, "greet"), (HANDOFF, "I want to talk to a human")]),
]


@dataclass
class Results:
    """Latencies (ms) and errors per kind of turn, shared by the shoppers' threads."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    error_samples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, ms: float | None, error: str | None = None) -> None:
        with self.lock:
            if error is None and ms is not None:
                self.latencies[kind].append(ms)
            else:
                self.errors[kind] += 1
                if len(self.error_samples) < 5:
                    self.error_samples.append(f"{kind}: {error}")


class RestShopper:
    """One shopper over ``POST /webhooks/rest/webhook``."""

    def __init__(self, url: str) -> None:
        self.url, self.session, self.sender = url, requests.Session(), f"load-{uuid.uuid4().hex}"

    def say(self, text: str) -> None:
        answer = self.session.post(
            f"{self.url}/webhooks/rest/webhook",
            json={"sender": self.sender, "message": text},
            timeout=60,
        )
        answer.raise_for_status()
        if not answer.json():
            raise RuntimeError("no reply")

    def close(self) -> None:
        self.session.close()


class SocketShopper:
    """One shopper over the widget's socket.io channel; a turn lasts until the first reply."""

    def __init__(self, url: str) -> None:
        self.session_id = f"load-{uuid.uuid4().hex}"
        self.replied = threading.Event()
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", lambda _data: self.replied.set())
        confirmed = threading.Event()
        self.client.on("session_confirm", lambda _data: confirmed.set())
        self.client.connect(
            url, transports=["websocket"], socketio_path="/socket.io", wait_timeout=30
        )
        self.client.emit("session_request", {"session_id": self.session_id})
        if not confirmed.wait(30):
            raise TimeoutError("no session_confirm")

    def say(self, text: str) -> None:
        self.replied.clear()
        self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})
        if not self.replied.wait(60):
            raise TimeoutError("no reply within 60 s")
        time.sleep(0.3)  # the rest of the turn's messages; not counted in the latency

    def close(self) -> None:
        self.client.disconnect()


def fill(message: str, rng: random.Random, order: DemoOrder | None) -> str:
    if message == "greet":
        return rng.choice(SMALL_TALK[:3])
    if message == "small talk":
        return rng.choice(SMALL_TALK[3:5])
    if message == "thanks":
        return rng.choice(SMALL_TALK[4:])
    if message == "<question>":
        return rng.choice(QUESTIONS)
    if message == "<recommendation>":
        return rng.choice(RECOMMENDATIONS)
    if message in ("<order>", "<email>"):
        assert order is not None
        return order.order_id if message == "<order>" else order.email
    return message


def shopper(
    args: argparse.Namespace,
    seed: int,
    stop: float,
    think: bool,
    results: Results,
    orders: list[DemoOrder],
) -> None:
    rng = random.Random(seed)
    weights = [w for w, _ in MIX]
    while time.monotonic() < stop:
        _, turns = rng.choices(MIX, weights)[0]
        order = rng.choice(orders) if orders else None
        if order is None and turns[1][0] == ORDER:
            continue
        over_socket = rng.random() < args.socket_share
        try:
            client: RestShopper | SocketShopper = (
                SocketShopper(args.socket_url or args.url) if over_socket else RestShopper(args.url)
            )
        except Exception as error:  # noqa: BLE001 (counted as an error of the first turn)
            results.add(turns[0][0], None, f"connect: {error}")
            time.sleep(1)
            continue
        try:
            for kind, message in turns:
                if time.monotonic() >= stop:
                    break
                start = time.perf_counter()
                try:
                    client.say(fill(message, rng, order))
                    results.add(kind, (time.perf_counter() - start) * 1000)
                except Exception as error:  # noqa: BLE001 (an error is a figure here)
                    results.add(kind, None, str(error)[:200])
                    time.sleep(rng.uniform(*args.think))  # a shopper waits before trying again
                    break
                if think:
                    time.sleep(rng.uniform(*args.think))
        finally:
            client.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class MemoryWatch:
    """The largest resident set size of the ``--watch-pid`` processes (and their children)."""

    def __init__(self, pids: list[int]) -> None:
        self.processes = [psutil.Process(pid) for pid in pids]
        self.peak_mb: dict[int, float] = {pid: 0.0 for pid in pids}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(1.0):
            for process in self.processes:
                try:
                    rss = process.memory_info().rss + sum(
                        c.memory_info().rss for c in process.children(recursive=True)
                    )
                except psutil.Error:
                    continue
                self.peak_mb[process.pid] = max(self.peak_mb[process.pid], rss / 2**20)

    def stop(self) -> dict[int, float]:
        self._stop.set()
        self._thread.join(5)
        return {pid: round(mb) for pid, mb in self.peak_mb.items()}


def run_step(args: argparse.Namespace, users: int, think: bool, orders: list[DemoOrder]) -> dict:
    results = Results()
    stop = time.monotonic() + args.duration
    started = time.monotonic()
    threads = [
        threading.Thread(
            target=shopper,
            args=(args, args.seed * 1000 + i, stop, think, results, orders),
            daemon=True,
        )
        for i in range(users)
    ]
    for thread in threads:
        thread.start()
        time.sleep(min(0.05, args.duration / max(users, 1) / 4))  # no thundering start
    for thread in threads:
        thread.join(args.duration + 90)
    elapsed = time.monotonic() - started
    kinds = {}
    for kind in KINDS:
        values = results.latencies.get(kind, [])
        kinds[kind] = {
            "turns": len(values),
            "errors": results.errors.get(kind, 0),
            **(
                {
                    "p50_ms": round(statistics.median(values), 1),
                    "p95_ms": round(percentile(values, 0.95), 1),
                    "p99_ms": round(percentile(values, 0.99), 1),
                }
                if values
                else {}
            ),
        }
    turns = sum(k["turns"] for k in kinds.values())
    return {
        "users": users,
        "think": think,
        "seconds": round(elapsed, 1),
        "turns_per_s": round(turns / elapsed, 2),
        "errors": sum(k["errors"] for k in kinds.values()),
        "kinds": kinds,
        "error_samples": results.error_samples,
    }


def print_step(step: dict) -> None:
    pause = "with pauses" if step["think"] else "no pauses (saturation)"
    print(
        f"\n{step['users']} shoppers, {pause}: {step['turns_per_s']} turns/s, {step['errors']} errors"
    )
    print(f"  {'kind':<10} {'turns':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for kind, row in step["kinds"].items():
        if row["turns"] or row["errors"]:
            figures = [row.get(k, float("nan")) for k in ("p50_ms", "p95_ms", "p99_ms")]
            print(
                f"  {kind:<10} {row['turns']:>6} {row['errors']:>6} "
                + " ".join(f"{v:>8.0f}" for v in figures)
            )
    for sample in step["error_samples"]:
        print(f"  error: {sample}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--url", default="http://127.0.0.1:5005", help="Rasa (or the balancer in front of it)"
    )
    parser.add_argument("--socket-url", default=None, help="socket.io address (default: --url)")
    parser.add_argument("--label", default="default", help="the profile's name in the output")
    parser.add_argument("--steps", default="1,10,50,100")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per step")
    parser.add_argument("--think", type=float, nargs=2, default=(1.5, 4.5), metavar=("MIN", "MAX"))
    parser.add_argument(
        "--saturate", type=int, default=20, help="shoppers without pauses (0: skip)"
    )
    parser.add_argument(
        "--socket-share", type=float, default=0.2, help="share of shoppers on socket.io"
    )
    parser.add_argument("--shop-db", default=None, help="the shop database with the demo orders")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--watch-pid", type=int, action="append", default=[], help="report peak RSS"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="JSON file (default results/load-LABEL.json)"
    )
    args = parser.parse_args()
    steps = [int(s) for s in args.steps.split(",") if s.strip()]
    if not steps or min(steps) < 1:
        parser.error(f"--steps must be positive numbers. Currently, --steps is {args.steps!r}")
    if not 0 <= args.socket_share <= 1:
        parser.error(
            f"--socket-share must be between 0 and 1. Currently, it is {args.socket_share}"
        )
    orders = list(demo_orders(args.shop_db or get_settings().database_url).values())
    print(
        f"load benchmark, profile {args.label}: {args.url}, {len(orders)} demo orders, "
        f"{args.duration:.0f} s per step, pauses {args.think[0]}-{args.think[1]} s"
    )
    report = {"label": args.label, "url": args.url, "steps": []}
    memory = MemoryWatch(args.watch_pid)
    plan = [(users, True) for users in steps] + ([(args.saturate, False)] if args.saturate else [])
    for users, think in plan:
        step = run_step(args, users, think, orders)
        report["steps"].append(step)
        print_step(step)
    report["peak_rss_mb"] = memory.stop()
    if args.watch_pid:
        print(f"\npeak resident memory (MB) by watched pid: {report['peak_rss_mb']}")
    out = args.out or Path("results") / f"load-{args.label}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"\nfigures written to {out}")


if __name__ == "__main__":
    main()
