"""``python -m bot verify``: the grounding check as a judge anyone can run on (reply, passages) pairs.

It is the check the assistant applies to a generated reply before sending it
(:func:`bot.generation.grounding.check_grounding`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from bot.generation.grounding import GroundingResult, check_grounding


class PairError(ValueError):
    """A line of a pairs file that is not a (reply, passages) pair."""


def verdict_record(result: GroundingResult) -> dict[str, Any]:
    """One output line: ``{"supported": …, "unsupported": [{"claim": …, "reason": …}, …]}``."""
    items = [{"claim": c.claim, "reason": c.reason} for c in result.claims]
    reasons = {
        "product": "names a catalogue product that no passage names",
        "meta": "talks about the assistant's instructions",
        "unhelpful": "states nothing from the passages",
    }
    items += [
        {"claim": what, "reason": reasons.get(kind, kind)}
        for kind, what in result.unsupported
        if kind in reasons
    ]
    return {"supported": result.grounded, "unsupported": items}


def parse_pair(line: str) -> tuple[str, list[str], str]:
    """(reply, passages, question) of one JSON line; raises :class:`PairError` with the reason."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise PairError(f"invalid JSON: {error.msg} (column {error.colno})") from error
    if not isinstance(data, dict):
        raise PairError("expected an object with 'reply' and 'passages'")
    reply, passages, question = data.get("reply"), data.get("passages"), data.get("question", "")
    if not isinstance(reply, str):
        raise PairError("'reply' must be a string")
    if not isinstance(passages, list) or not all(isinstance(p, str) for p in passages):
        raise PairError("'passages' must be a list of strings")
    if not isinstance(question, str):
        raise PairError("'question' must be a string when given")
    return reply, passages, question


def judge(reply: str, passages: list[str], question: str = "") -> dict[str, Any]:
    """The verdict record of one pair."""
    return verdict_record(check_grounding(reply, passages, question=question))


def _show(record: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(record, ensure_ascii=False))
        return
    if record["supported"]:
        typer.echo("supported")
    for item in record["unsupported"]:
        typer.echo(f"unsupported: {item['claim']} — {item['reason']}")


def verify(
    file: Path = typer.Argument(
        None, help='JSON Lines: one {"reply": …, "passages": […]} per line (optional "question").'
    ),
    reply: str = typer.Option(None, "--reply", help="One reply to check (instead of FILE)."),
    passage: list[str] = typer.Option(
        None, "--passage", help="A passage of that reply (repeat the option)."
    ),
    question: str = typer.Option("", "--question", help="The shopper's question (with --reply)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per pair, in order."),
) -> None:
    """Checks replies against their passages, claim by claim (the assistant's grounding check)."""
    if (file is None) == (reply is None):
        raise typer.BadParameter("give either FILE or --reply with --passage")
    if reply is not None:
        if not passage:
            raise typer.BadParameter("--reply needs at least one --passage")
        _show(judge(reply, list(passage), question), as_json)
        return
    if not file.is_file():
        typer.echo(f"error: {file}: no such file", err=True)
        raise typer.Exit(2)
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as error:
        typer.echo(
            f"error: {file}: not UTF-8 text ({error.reason} at byte {error.start})", err=True
        )
        raise typer.Exit(2) from error
    pairs = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            pairs.append(parse_pair(line))
        except PairError as error:  # nothing is judged until the whole file reads well
            typer.echo(f"error: {file}:{number}: {error}", err=True)
            raise typer.Exit(2) from error
    for pair in pairs:
        _show(judge(*pair), as_json)
