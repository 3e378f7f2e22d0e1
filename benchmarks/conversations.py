"""Conversation benchmark: scripted multi-turn conversations replayed through Rasa over REST.

Scripts: ``evaluation/conversations.jsonl``, one conversation a line:
``{"name", "split", "turns": [{"user": text, "expect": [check, …]}, …]}`` (``split``: tune on
``dev``, report ``test``). Each conversation is a new shopper. A turn counts as done when every
check holds for the bot's messages after that user message:

- ``asks_number``: the reply asks for the order number;
- ``calm`` / ``acknowledged``: the reply has no apology / acknowledges the shopper's trouble;
- ``knowledge``: the reply carries a knowledge answer (its ``sources`` card);
- ``source:ID``: the knowledge answer's best source is ``ID`` (e.g. ``product:FH-BA-0001``);
- ``mentions:TEXT``: the reply holds ``TEXT``;
- ``stopped``: the task ended politely: no "did you mean", no further question for an order.

Figures per split: ``turns_done`` (share of turns where the assistant did what the script
expects) and ``conversations_done`` (share with every turn done), plus each failed check's count.
The servers are started here (the trained model in models/, a private seeded shop), or
``--rasa-url`` talks to a running Rasa:

    PYTHONPATH=. .venv/bin/python benchmarks/conversations.py
"""

from __future__ import annotations

import argparse
import json
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.rasa_stack import rasa_url
from bot.messages import read_card

ROOT = Path(__file__).resolve().parents[1]
APOLOGY = ("sorry", "frustrating", "apolog")
STOPPED = ("anything else", "something else", "what else")

Check = Callable[[list[dict[str, Any]]], bool]


def text_of(messages: list[dict[str, Any]]) -> str:
    """The bot's texts, joined, lower case."""
    return "\n".join(m.get("text") or "" for m in messages).lower()


def best_source(messages: list[dict[str, Any]]) -> str | None:
    """The id of the first source of the first ``sources`` card, or None."""
    for message in messages:
        card = read_card(message)
        if card is not None and card["type"] == "sources" and card["sources"]:
            return str(card["sources"][0]["id"])
    return None


def has_sources(messages: list[dict[str, Any]]) -> bool:
    """True when a message carries a ``sources`` card."""
    return any((c := read_card(m)) is not None and c["type"] == "sources" for m in messages)


def check(name: str) -> Check:
    """The predicate of one expectation."""
    if name.startswith("source:"):
        wanted = name.removeprefix("source:")
        return lambda messages: best_source(messages) == wanted
    if name.startswith("mentions:"):
        wanted = name.removeprefix("mentions:").lower()
        return lambda messages: wanted in text_of(messages)
    checks: dict[str, Check] = {
        "asks_number": lambda m: "order number" in text_of(m),
        "calm": lambda m: not any(word in text_of(m) for word in APOLOGY),
        "acknowledged": lambda m: any(word in text_of(m) for word in APOLOGY),
        "knowledge": has_sources,
        "stopped": lambda m: (
            "did you mean" not in text_of(m)
            and "order number" not in text_of(m)
            and any(word in text_of(m) for word in STOPPED)
        ),
    }
    if name not in checks:
        raise ValueError(f"unknown check {name!r}")
    return checks[name]


def read_scripts(path: Path) -> list[dict[str, Any]]:
    """The scripted conversations of ``path`` (every check name is verified)."""
    scripts = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    for script in scripts:
        for turn in script["turns"]:
            for name in turn["expect"]:
                check(name)
    return scripts


def replay(url: str, scripts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every conversation through Rasa's REST channel; one record per turn."""
    import requests

    records = []
    for number, script in enumerate(scripts):
        sender = f"conv-{uuid.uuid4().hex[:10]}"
        for turn in script["turns"]:
            response = requests.post(
                f"{url}/webhooks/rest/webhook",
                json={"sender": sender, "message": turn["user"]},
                timeout=120,
            )
            messages = response.json() if response.ok else []
            failed = [name for name in turn["expect"] if not check(name)(messages)]
            records.append(
                {
                    "conversation": number,
                    "split": script["split"],
                    "user": turn["user"],
                    "reply": text_of(messages),
                    "failed": failed,
                }
            )
    return records


def figures(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Turns and conversations done per split (and ``all``), with the failed checks' counts."""
    out: dict[str, dict[str, Any]] = {}
    for split in ("dev", "test", "all"):
        keep = [r for r in records if split in ("all", r["split"])]
        conversations: dict[int, bool] = {}
        for record in keep:
            done = not record["failed"]
            conversations[record["conversation"]] = conversations.get(
                record["conversation"], True
            ) and (done)
        failed = Counter(name.split(":")[0] for r in keep for name in r["failed"])
        out[split] = {
            "conversations": len(conversations),
            "turns": len(keep),
            "turns_done": round(sum(not r["failed"] for r in keep) / max(len(keep), 1), 3),
            "conversations_done": round(
                sum(conversations.values()) / max(len(conversations), 1), 3
            ),
            "failed_checks": dict(failed),
        }
    return out


def main(argv: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Replays the scripts, prints the figures as JSON and returns them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scripts", type=Path, default=ROOT / "evaluation" / "conversations.jsonl")
    parser.add_argument("--rasa-url", default=None, help="Talk to this running Rasa server.")
    parser.add_argument("--details", type=Path, default=None, help="Write every turn here.")
    args = parser.parse_args(argv)
    scripts = read_scripts(args.scripts)
    with rasa_url(args.rasa_url, "conversations-bench-") as url:
        records = replay(url, scripts)
    if args.details:
        args.details.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = figures(records)
    print(json.dumps(out, indent=2))
    return out


if __name__ == "__main__":
    main()
