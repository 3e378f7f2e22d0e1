"""Answer benchmark: grounded replies to the shop's evaluation questions, direct and through Rasa.

For every question of ``evaluation/knowledge_questions.csv`` (``question,expected_id``; empty
id: unanswerable; ``|`` separates ids that are all right) it reports:

- share of generated replies that pass the grounding check before any fallback;
- replies sent with an unsupported fact (must be 0);
- answer correctness (a key fact of the expected passage is in the reply);
- refusal rate on unanswerable questions (and false refusals on answerable ones);
- latency p50/p95 per reply and the generator's tokens/s;
- ``too_slow``: answers sent as the passage's text without asking the model, because on this
  machine no reply would fit the time limit (``FERNHILL_GENERATOR_TIME_LIMIT_S``; raise it to
  measure the model on a slow CPU).

``--rasa`` asks the same questions through a running Rasa server over REST (message in, reply
out; one new conversation per question): started here with the project's test helpers
(the trained model in models/, a private seeded shop), or an already running one with
``--rasa-url``. Figures are the median and p95 over ``--repeats`` runs. Run it on an otherwise
idle machine:

    .venv/bin/python benchmarks/answers.py --rasa --repeats 3
    .venv/bin/python benchmarks/answers.py --limit 30 --model smollm2-135m      # quick
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.generation.scoring import Scored, final_is_supported, key_facts_present, summarise  # noqa: E402
from bot.knowledge.evaluate import LabelledQuestion, read_questions  # noqa: E402
from bot.knowledge.passages import Passage  # noqa: E402

REFUSAL_MARK = "i don't know that"


def over_runs(runs: list[dict[str, Any]]) -> dict[str, float]:
    """Median and p95 of each figure over repeated runs."""
    out: dict[str, float] = {}
    for key in runs[0]:
        values = [run[key] for run in runs]
        out[f"{key}_median"] = round(float(np.median(values)), 4)
        out[f"{key}_p95"] = round(float(np.percentile(values, 95)), 4)
    return out


def pick(questions: list[LabelledQuestion], limit: int | None, seed: int = 7) -> list[LabelledQuestion]:
    """All questions, or ``limit`` of them with the same share of unanswerable ones."""
    if not limit or limit >= len(questions):
        return questions
    rng = random.Random(seed)
    unanswerable = [q for q in questions if not q.expected]
    answerable = [q for q in questions if q.expected]
    k = max(1, round(limit * len(unanswerable) / len(questions)))
    return rng.sample(answerable, limit - k) + rng.sample(unanswerable, k)


def direct_run(answerer: Any, questions: list[LabelledQuestion], by_id: dict[str, Passage],
               details: list[dict[str, Any]] | None = None) -> list[Scored]:
    """Every question through the answer step in this process (``details``: one record each)."""
    from bot.generation.cli import answer_record

    scored = []
    for q in questions:
        answer = answerer.answer(q.question)
        if details is not None:
            details.append({"question": q.question, "expected": list(q.expected), **answer_record(answer)})
        expected = [by_id[i] for i in q.expected if i in by_id]
        declined = answer.kind != "answer"
        scored.append(Scored(
            answerable=bool(q.expected), refused=answer.refused or declined, grounded=answer.grounded,
            generated=answer.generated is not None, fallback=answer.fallback,
            unsupported_final=not final_is_supported(answer.text, answer.sources, q.question),
            correct=bool(expected) and key_facts_present(answer.text, expected, q.question),
            latency_ms=answer.latency_ms, new_tokens=answer.new_tokens, gen_seconds=answer.gen_seconds,
            too_slow=answer.too_slow))
    return scored


def rasa_run(url: str, questions: list[LabelledQuestion], by_id: dict[str, Passage],
             sources_of: dict[str, Passage], details: list[dict[str, Any]] | None = None) -> list[Scored]:
    """Every question through Rasa's REST channel, each as a new shopper. Questions Rasa routes
    elsewhere (contact, account… responses) count as correct when their reply holds the key
    fact, and as "refused" (no knowledge answer) for the refusal rates."""
    import requests

    scored = []
    for q in questions:
        started = time.perf_counter()
        response = requests.post(f"{url}/webhooks/rest/webhook",
                                 json={"sender": f"bench-{uuid.uuid4().hex[:10]}", "message": q.question},
                                 timeout=120)
        latency = (time.perf_counter() - started) * 1000
        messages = response.json() if response.ok else []
        card = next(filter(None, map(sources_card, messages)), None)
        text = "\n".join(m.get("text") or "" for m in answer_messages(messages))
        sources = [sources_of[s["id"]] for s in (card or {}).get("sources", []) if s["id"] in sources_of]
        meta = (card or {}).get("answer", {})
        expected = [by_id[i] for i in q.expected if i in by_id]
        reply = "\n".join(line for line in text.split("\n") if not line.startswith("Sources: "))
        if details is not None:
            details.append({"question": q.question, "expected": list(q.expected), "reply": text,
                            "card": card, "latency_ms": round(latency, 1)})
        scored.append(Scored(
            answerable=bool(q.expected), refused=card is None, grounded=bool(meta.get("grounded")),
            generated=bool(meta.get("generated")), fallback=bool(meta.get("fallback")),
            unsupported_final=card is not None and not final_is_supported(reply, sources, q.question),
            correct=bool(expected) and key_facts_present(reply, expected, q.question),
            latency_ms=latency, too_slow=bool(meta.get("too_slow"))))
    return scored


def sources_card(message: dict[str, Any]) -> dict[str, Any] | None:
    """The ``sources`` card a REST message carries, or None."""
    custom = message.get("custom")
    data = custom.get("data") if isinstance(custom, dict) else None
    return data if isinstance(data, dict) and data.get("type") == "sources" else None


def answer_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The messages of the knowledge answer: those up to its ``sources`` card (what follows,
    such as the offer to look at an order after a question about how orders work, is the
    conversation going on, not part of the answer); all of them when there is no card."""
    for index, message in enumerate(messages):
        if sources_card(message) is not None:
            return messages[: index + 1]
    return messages


def start_rasa(model: str, tmp: Path) -> tuple[str, list[Any]]:
    """Starts the action server (with ``model``) and Rasa on free ports; returns Rasa's URL."""
    import secrets

    from bot.commerce import get_engine, seed_database
    from tests.integration.servers import start_action_server, start_rasa_server

    shop = f"sqlite:///{tmp / 'shop.db'}"
    engine = get_engine(shop)
    seed_database(engine)
    engine.dispose()
    from bot.settings import get_settings

    # The configured time limit (the test helpers give the model more time by default).
    env = {"FERNHILL_GENERATOR_MODEL": model, "FERNHILL_APP_DATABASE_URL": f"sqlite:///{tmp / 'app.db'}",
           "FERNHILL_GENERATOR_TIME_LIMIT_S": str(get_settings().generator_time_limit_s)}
    actions = start_action_server(tmp, shop, extra_env=env)
    token = secrets.token_urlsafe(16)
    rasa = start_rasa_server(tmp, actions.url, token)
    return rasa.url, [rasa, actions]


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=Path, default=ROOT / "evaluation" / "knowledge_questions.csv")
    parser.add_argument("--index", type=Path, default=None, help="Index folder (default: settings).")
    parser.add_argument("--model", default=None, help="Generator (default: settings.generator_model).")
    parser.add_argument("--limit", type=int, default=None, help="Ask only N questions (quick run).")
    parser.add_argument("--repeats", type=int, default=1, help="Runs; figures are median and p95 over them.")
    parser.add_argument("--rasa", action="store_true", help="Also through Rasa (servers started here).")
    parser.add_argument("--rasa-url", default=None, help="Through this running Rasa server instead.")
    parser.add_argument("--skip-direct", action="store_true", help="Only the run through Rasa.")
    parser.add_argument("--json", action="store_true", help="Print one JSON object at the end.")
    parser.add_argument("--details", type=Path, default=None,
                        help="Write every direct answer of the last run here (JSON lines).")
    parser.add_argument("--json-out", type=Path, default=None, help="Also write the figures here.")
    args = parser.parse_args(argv)

    from bot.generation.cli import make_answerer
    from bot.settings import get_settings

    model = args.model or get_settings().generator_model
    answerer = make_answerer(args.index, None if args.skip_direct else model, extractive=args.skip_direct)
    passages = answerer.retriever.passages  # type: ignore[attr-defined]
    by_id = {name: p for p in passages for name in p.names()}
    questions = pick(read_questions(args.questions, set(by_id)), args.limit)
    report: dict[str, Any] = {"model": model, "questions": len(questions), "repeats": args.repeats}
    log = (lambda *a: None) if args.json else print

    if not args.skip_direct:
        runs = []
        for run in range(args.repeats):
            details: list[dict[str, Any]] = []
            runs.append(summarise(direct_run(answerer, questions, by_id, details)))
            if args.details:
                args.details.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in details))
            log(f"direct run {run + 1}: {json.dumps(runs[-1])}")
        report["direct"] = over_runs(runs)
    if args.rasa or args.rasa_url:
        servers: list[Any] = []
        with tempfile.TemporaryDirectory(prefix="answers-bench-") as tmp:
            try:
                url = args.rasa_url
                if url is None:
                    url, servers = start_rasa(model, Path(tmp))
                runs = []
                for run in range(args.repeats):
                    rasa_details: list[dict[str, Any]] = []
                    runs.append(summarise(rasa_run(url, questions, by_id, by_id, rasa_details)))
                    if args.details:
                        args.details.with_suffix(".rasa.jsonl").write_text(
                            "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in rasa_details))
                    log(f"rasa run {run + 1}: {json.dumps(runs[-1])}")
                report["rasa"] = over_runs(runs)
            finally:
                for server in servers:
                    server.stop()
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(report, indent=2))
    print(json.dumps(report) if args.json else json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
