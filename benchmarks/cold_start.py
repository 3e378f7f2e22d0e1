"""Cold-start benchmark: restart to ready with the models cached, and Rasa's memory.

Each run starts the action server and Rasa at the same moment, as a restart of the stack does
(the trained model in models/, the shop's knowledge index, a freshly seeded shop, the configured
reply generator), and times each until it is ready: Rasa's ``/status`` (it answers once its
model is loaded) and the action server's ``/ready`` (index and generator loaded and warm). Then
it sends ``--messages`` messages through Rasa's REST channel and reads Rasa's resident memory
(the process and its children) after loading and at the end. Runs alternate between Rasa's fast
load (``rasa_components/fast_load.py``, the default) and Rasa's own load
(``FERNHILL_RASA_FAST_LOAD=false``), so the two are compared within one run of this script on the
same machine. One start before the runs is not counted: it converts and caches the generator if
it is not cached yet. Run after ``make train``, on an otherwise idle machine:

    .venv/bin/python benchmarks/cold_start.py --runs 3
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import psutil
import requests

from bot.commerce import get_engine, seed_database
from bot.settings import get_settings
from devtools.servers import Server, free_port, start_action_server, start_rasa_server

MODES = {"fast": {}, "rasa": {"FERNHILL_RASA_FAST_LOAD": "false"}}
TEXTS = ["hello", "where is my order?", "do you ship to belgium?", "thanks, bye"]


def rss_mb(server: Server) -> float:
    """Resident memory of ``server``'s process and its children, in MB."""
    process = psutil.Process(server.process.pid)
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.Error:
            pass
    return total / 2**20


def one_start(tmp: Path, database_url: str, mode: str, messages: int) -> dict[str, Any]:
    """Starts both servers at once; the seconds until each is ready and Rasa's memory."""
    settings = get_settings()
    generator = {
        "FERNHILL_GENERATOR_MODEL": settings.generator_model,
        "FERNHILL_GENERATOR_TIME_LIMIT_S": str(settings.generator_time_limit_s),
        "FERNHILL_ANSWER_MODE": settings.answer_mode,
    }
    token = uuid.uuid4().hex
    port = free_port()
    started = time.perf_counter()
    done: dict[str, Any] = {}

    def actions() -> None:
        try:
            done["actions"] = start_action_server(tmp, database_url, extra_env=generator, port=port)
            done["actions_s"] = time.perf_counter() - started
        except Exception as error:  # noqa: BLE001 - reported below
            done["actions_error"] = error

    thread = threading.Thread(target=actions)
    thread.start()
    servers: list[Server] = []
    try:
        # Rasa calls the action server only when a message comes: it needs its address, not it.
        rasa = start_rasa_server(tmp, f"http://127.0.0.1:{port}", token, extra_env=MODES[mode])
        servers.append(rasa)
        rasa_s = time.perf_counter() - started
        loaded_mb = rss_mb(rasa)
        thread.join()
        if "actions_error" in done:
            raise done["actions_error"]
        servers.append(done["actions"])
        ready_s = time.perf_counter() - started
        for n in range(messages):
            answer = requests.post(
                f"{rasa.url}/webhooks/rest/webhook",
                json={"sender": f"cold-{uuid.uuid4().hex[:8]}", "message": TEXTS[n % len(TEXTS)]},
                timeout=120,
            )
            answer.raise_for_status()
        return {
            "mode": mode,
            "rasa_ready_s": round(rasa_s, 1),
            "actions_ready_s": round(done["actions_s"], 1),
            "stack_ready_s": round(ready_s, 1),
            "rasa_rss_loaded_mb": round(loaded_mb),
            "rasa_rss_after_messages_mb": round(rss_mb(rasa)),
        }
    finally:
        thread.join()
        if "actions" in done and done["actions"] not in servers:
            servers.append(done["actions"])
        for server in servers:
            server.stop()


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):6.1f}   p95 {p95:6.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="starts per mode")
    parser.add_argument("--messages", type=int, default=20, help="messages after each start")
    parser.add_argument("--modes", default="fast,rasa", help="fast, rasa or both")
    parser.add_argument("--json-out", type=Path, help="write every run's figures here")
    args = parser.parse_args()
    modes = [m for m in args.modes.split(",") if m]
    unknown = set(modes) - set(MODES)
    if unknown:
        parser.error(f"unknown mode(s) {sorted(unknown)}; use fast, rasa")
    tmp = Path(tempfile.mkdtemp(prefix="bench-cold-"))
    try:
        database_url = f"sqlite:///{tmp / 'shop.db'}"
        seed_database(get_engine(database_url))
        warm = one_start(tmp, database_url, modes[0], 1)  # caches the generator
        print(f"first start (not counted): {warm}", flush=True)
        runs = []
        for n in range(args.runs):
            for mode in modes:
                run = one_start(tmp, database_url, mode, args.messages)
                print(f"run {n + 1}: {run}", flush=True)
                runs.append(run)
        print(f"\nmachine: {psutil.cpu_count()} cores; {args.runs} starts per mode")
        for mode in modes:
            mine = [r for r in runs if r["mode"] == mode]
            print(f"{mode}:")
            for key in ("rasa_ready_s", "actions_ready_s", "stack_ready_s"):
                print(f"  {key:28s} {summary([r[key] for r in mine])}  s")
            for key in ("rasa_rss_loaded_mb", "rasa_rss_after_messages_mb"):
                print(f"  {key:28s} {summary([r[key] for r in mine])}  MB")
        if args.json_out:
            args.json_out.parent.mkdir(parents=True, exist_ok=True)
            args.json_out.write_text(json.dumps(runs, indent=1))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
