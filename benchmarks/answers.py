"""Answer benchmark: grounded replies to the shop's evaluation questions, direct and through Rasa.

Questions: ``evaluation/knowledge_questions.csv``, columns ``question,expected_id,split,must,must_not``:

- ``expected_id``: the passages that answer the question (``|`` between ids that are all right;
  empty: unanswerable);
- ``split``: ``dev`` (tune on these) or ``test`` (report these; never tune on them). Decided once,
  before any reply was looked at: within each stratum (unanswerable, or the topic of the first
  expected id: the policy page, a FAQ's topic, a product's category), alternately dev and test
  in file order, strata starting alternately on dev and on test;
- ``must`` / ``must_not``: hand-written key facts a correct reply must hold / must not hold
  (wrong price, opposite yes/no, wrong carrier…). Facts are separated by ``;``, the acceptable
  spellings of one fact by ``/`` (``€14.95/14.95 euros;DHL``); ``YES`` and ``NO`` stand for the
  reply's polarity (it opens with yes / with no, or its first sentence is a negation; as a
  ``must_not`` fact only an opening yes / no counts). Every answerable question has at least
  one ``must`` fact; unanswerable ones have none.

Replies are judged by ``benchmarks/judge.py`` (its own normalisation and matching; it shares no
code with the assistant). Figures, for ``dev``, ``test`` and ``all`` (``--split``):

- ``correct``: answerable questions whose reply holds every ``must`` fact and no ``must_not``
  fact (a refusal is never correct); ``floor_correct``: the same judge on the text of a random
  wrong passage per answerable question (seeded; not one of the expected passages): what
  correctness a reply unrelated to the question gets;
- ``false_statement``: share of the answers sent (not refusals) that are false: an answer to an
  answerable question holding a ``must_not`` fact, or any answer to an unanswerable question;
  the two parts separately: ``false_statement_answerable`` (share of the answers sent to
  answerable questions holding a ``must_not`` fact) and ``answered_unanswerable`` (how many
  unanswerable questions got an answer instead of a refusal);
- ``refusal_unanswerable`` (should be 1) and ``refusal_answerable`` (false refusals). A refusal is
  the assistant's "I don't know" or a decline (by the judge's reading of the text, or the answer
  step's own kind: refusal, policy decline); through Rasa also any reply without a sources card
  (Rasa routed the question elsewhere);
- latency p50/p95 over all replies and over answers, the generator's tokens/s;
- ``grounded_before_fallback``: the product's OWN grounding check's pass rate on generated
  replies, before any fallback (not a measure of truth: the judge's figures are);
- ``too_slow``: answers sent as the passage's text without asking the model, because on this
  machine no reply would fit the time limit (``FERNHILL_GENERATOR_TIME_LIMIT_S``; raise it to
  measure the model on a slow CPU).

``--extractive`` answers without a model (the best passage's sentences nearest the question, as
in the ``compose`` mode): a quick check of the retrieval and of the judge; ``--mode`` picks the
answer mode (``generate``, ``compose``, ``hybrid``; default: ``FERNHILL_ANSWER_MODE``).
``--rasa`` asks the same questions through a running Rasa server over REST (message in, reply
out; one new conversation per question; the reply is the messages up to the sources card):
started here with the project's test helpers (the trained model in models/, a private seeded
shop), or an already running one with ``--rasa-url``. Figures are the median and p95 over
``--repeats`` runs. Run it on an otherwise idle machine:

    .venv/bin/python benchmarks/answers.py --rasa --repeats 3
    .venv/bin/python benchmarks/answers.py --extractive                              # no model
    .venv/bin/python benchmarks/answers.py --split dev --mode hybrid                 # an answer mode
    .venv/bin/python benchmarks/answers.py --split dev --limit 30 --model smollm2-135m  # quick
"""

from __future__ import annotations

import argparse
import json
import time
import uuid
from pathlib import Path
from typing import Any

from benchmarks.answer_scoring import (
    Question,
    Scored,
    by_split,
    judged,
    over_runs,
    pick,
    read_labelled,
)
from benchmarks.answer_scoring import floor_correct as floor_correct  # the benchmark's tests
from benchmarks.answer_scoring import floor_passage as floor_passage
from benchmarks.answer_scoring import summarise as summarise
from benchmarks.rasa_stack import rasa_url
from bot.messages import read_card

ROOT = Path(__file__).resolve().parents[1]


def direct_run(
    answerer: Any, questions: list[Question], details: list[dict[str, Any]] | None = None
) -> list[Scored]:
    """Every question through the answer step in this process (``details``: one record each)."""
    from bot.generation.cli import answer_record

    scored = []
    for q in questions:
        answer = answerer.answer(q.question)
        verdict = judged(q, answer.text)
        refused = answer.refused or answer.kind != "answer" or verdict.refused
        if details is not None:
            details.append(
                {
                    "question": q.question,
                    "expected": list(q.expected),
                    "split": q.split,
                    "correct": verdict.correct,
                    "missing": list(verdict.missing),
                    "wrong": list(verdict.wrong),
                    **answer_record(answer),
                }
            )
        scored.append(
            Scored(
                split=q.split,
                answerable=q.answerable,
                refused=refused,
                correct=q.answerable and verdict.correct and not refused,
                false_statement=not refused and (verdict.false_statement or not q.answerable),
                grounded=answer.grounded,
                generated=answer.generated is not None,
                fallback=answer.fallback,
                latency_ms=answer.latency_ms,
                new_tokens=answer.new_tokens,
                gen_seconds=answer.gen_seconds,
                too_slow=answer.too_slow,
            )
        )
    return scored


def replayed_run(path: Path, questions: list[Question]) -> list[Scored]:
    """Recorded answers (``python -m bot ask --file … --json`` lines, in the questions' order),
    judged like a direct run: the figures of another version or another system."""
    records = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    if len(records) != len(questions):
        raise SystemExit(f"{path}: {len(records)} answers for {len(questions)} questions")
    scored = []
    for q, record in zip(questions, records, strict=True):
        verdict = judged(q, record["reply"])
        refused = (
            bool(record.get("refused"))
            or record.get("kind", "answer") != "answer"
            or verdict.refused
        )
        scored.append(
            Scored(
                split=q.split,
                answerable=q.answerable,
                refused=refused,
                correct=q.answerable and verdict.correct and not refused,
                false_statement=not refused and (verdict.false_statement or not q.answerable),
                grounded=bool(record.get("grounded")),
                generated=record.get("generated") is not None,
                fallback=bool(record.get("fallback")),
                latency_ms=float(record.get("latency_ms", 0.0)),
                new_tokens=int(record.get("new_tokens", 0)),
                gen_seconds=float(record.get("gen_seconds", 0.0)),
                too_slow=bool(record.get("too_slow")),
            )
        )
    return scored


def rasa_run(
    url: str, questions: list[Question], details: list[dict[str, Any]] | None = None
) -> list[Scored]:
    """Every question through Rasa's REST channel, each as a new shopper. The reply is the
    messages up to the sources card (without its "Sources:" line). Questions Rasa routes
    elsewhere (contact, account… responses: no sources card) count as correct when their reply
    holds the facts, and as "refused" (no knowledge answer) for the refusal rates; a product search
    answered with suggestions (a products card) is counted apart, as an answer from the catalogue
    (``unanswered_answerable`` leaves those out)."""
    import requests

    scored = []
    for q in questions:
        started = time.perf_counter()
        response = requests.post(
            f"{url}/webhooks/rest/webhook",
            json={"sender": f"bench-{uuid.uuid4().hex[:10]}", "message": q.question},
            timeout=120,
        )
        latency = (time.perf_counter() - started) * 1000
        messages = response.json() if response.ok else []
        card = next(filter(None, map(sources_card, messages)), None)
        text = "\n".join(m.get("text") or "" for m in answer_messages(messages))
        meta = (card or {}).get("answer", {})
        reply = "\n".join(line for line in text.split("\n") if not line.startswith("Sources: "))
        verdict = judged(q, reply)
        refused = card is None or verdict.refused
        products = any((read_card(m) or {}).get("type") == "products" for m in messages)
        if details is not None:
            details.append(
                {
                    "question": q.question,
                    "expected": list(q.expected),
                    "split": q.split,
                    "reply": text,
                    "card": card,
                    "latency_ms": round(latency, 1),
                    "correct": verdict.correct,
                    "missing": list(verdict.missing),
                    "wrong": list(verdict.wrong),
                }
            )
        scored.append(
            Scored(
                split=q.split,
                answerable=q.answerable,
                refused=refused,
                correct=q.answerable and verdict.correct,
                false_statement=(verdict.false_statement if q.answerable else not refused),
                grounded=bool(meta.get("grounded")),
                generated=bool(meta.get("generated")),
                fallback=bool(meta.get("fallback")),
                latency_ms=latency,
                too_slow=bool(meta.get("too_slow")),
                catalogue_answer=card is None and products,
            )
        )
    return scored


def sources_card(message: dict[str, Any]) -> dict[str, Any] | None:
    """The ``sources`` card a REST message carries, or None."""
    card = read_card(message)
    return dict(card) if card is not None and card["type"] == "sources" else None


def answer_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The messages of the knowledge answer: those up to its ``sources`` card (what follows,
    such as the offer to look at an order after a question about how orders work, is the
    conversation going on, not part of the answer); all of them when there is no card."""
    for index, message in enumerate(messages):
        if sources_card(message) is not None:
            return messages[: index + 1]
    return messages


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--questions", type=Path, default=ROOT / "evaluation" / "knowledge_questions.csv"
    )
    parser.add_argument(
        "--index", type=Path, default=None, help="Index folder (default: settings)."
    )
    parser.add_argument(
        "--model", default=None, help="Generator (default: settings.generator_model)."
    )
    parser.add_argument(
        "--extractive",
        action="store_true",
        help="No model: every answer is the best passage's sentences nearest the question (quick).",
    )
    parser.add_argument(
        "--replies",
        type=Path,
        default=None,
        help="Judge these recorded answers (bot ask --json lines, in question order) "
        "instead of asking.",
    )
    parser.add_argument(
        "--mode",
        choices=("generate", "compose", "hybrid"),
        default=None,
        help="Answer mode (default: settings.answer_mode, FERNHILL_ANSWER_MODE).",
    )
    parser.add_argument(
        "--split",
        choices=("dev", "test", "all"),
        default="all",
        help="Ask this split's questions (all: every question, figures per split).",
    )
    parser.add_argument("--limit", type=int, default=None, help="Ask only N questions (quick run).")
    parser.add_argument(
        "--repeats", type=int, default=1, help="Runs; figures are median and p95 over them."
    )
    parser.add_argument(
        "--rasa", action="store_true", help="Also through Rasa (servers started here)."
    )
    parser.add_argument(
        "--rasa-url", default=None, help="Through this running Rasa server instead."
    )
    parser.add_argument("--skip-direct", action="store_true", help="Only the run through Rasa.")
    parser.add_argument("--json", action="store_true", help="Print one JSON object at the end.")
    parser.add_argument(
        "--details",
        type=Path,
        default=None,
        help="Write every direct answer of the last run here (JSON lines).",
    )
    parser.add_argument("--json-out", type=Path, default=None, help="Also write the figures here.")
    args = parser.parse_args(argv)

    from bot.generation.cli import make_answerer
    from bot.settings import get_settings

    model = args.model or get_settings().generator_model
    no_model = args.extractive or args.skip_direct or args.replies is not None
    answerer = make_answerer(
        args.index, None if no_model else model, extractive=no_model, mode=args.mode
    )
    passages = answerer.retriever.passages  # type: ignore[attr-defined]
    questions = read_labelled(args.questions, {name for p in passages for name in p.names()})
    if args.split != "all":
        questions = [q for q in questions if q.split == args.split]
    questions = pick(questions, args.limit)
    splits = ("dev", "test", "all") if args.split == "all" else (args.split,)
    report: dict[str, Any] = {
        "model": "none (extractive)" if args.extractive or answerer.generator is None else model,
        "mode": answerer.config.mode,
        "questions": len(questions),
        "per_split": {s: sum(s in ("all", q.split) for q in questions) for s in splits},
        "repeats": args.repeats,
    }
    log = (lambda *a: None) if args.json else print

    def over(runs: list[dict[str, dict[str, Any]]]) -> dict[str, dict[str, float]]:
        return {split: over_runs([run[split] for run in runs]) for split in splits}

    if not args.skip_direct:
        runs = []
        for run in range(args.repeats):
            details: list[dict[str, Any]] = []
            scored = (
                replayed_run(args.replies, questions)
                if args.replies
                else direct_run(answerer, questions, details)
            )
            runs.append(by_split(scored, questions, passages, splits))
            if args.details:
                args.details.write_text(
                    "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in details)
                )
            for split in splits:
                log(f"direct run {run + 1} [{split}]: {json.dumps(runs[-1][split])}")
        report["direct"] = over(runs)
    if args.rasa or args.rasa_url:
        with rasa_url(args.rasa_url, "answers-bench-", model, answerer.config.mode) as url:
            runs = []
            for run in range(args.repeats):
                rasa_details: list[dict[str, Any]] = []
                runs.append(
                    by_split(rasa_run(url, questions, rasa_details), questions, passages, splits)
                )
                if args.details:
                    args.details.with_suffix(".rasa.jsonl").write_text(
                        "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in rasa_details)
                    )
                for split in splits:
                    log(f"rasa run {run + 1} [{split}]: {json.dumps(runs[-1][split])}")
            report["rasa"] = over(runs)
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(report, indent=2))
    print(json.dumps(report) if args.json else json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
