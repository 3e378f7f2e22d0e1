"""``python -m bot ask`` (grounded answers from the command line) and ``python -m bot generator``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from bot.generation.answering import Answer, Answerer
from bot.generation.generator import Generator

generator_app = typer.Typer(help="The reply generator (bot/generation).", no_args_is_help=True)


def answer_record(answer: Answer) -> dict[str, Any]:
    """One ``--json`` line: the reply, its sources and how it was made."""
    return {
        "reply": answer.text,
        "sources": [{"id": p.id, "title": p.title, "url": p.url} for p in answer.sources],
        "refused": answer.refused,
        "grounded": answer.grounded,
        "fallback": answer.fallback,
        "latency_ms": round(answer.latency_ms, 1),
        "kind": answer.kind,
        "offer_human": answer.offer_human,
        "generated": answer.generated,
        "unsupported": [list(item) for item in answer.unsupported],
        "new_tokens": answer.new_tokens,
        "gen_seconds": round(answer.gen_seconds, 3),
        "too_slow": answer.too_slow,
        "composed": answer.composed,
        "mode": answer.mode,
        "confidence": None if answer.confidence is None else round(answer.confidence, 4),
    }


def make_answerer(
    index: Path | None = None,
    model: str | None = None,
    extractive: bool = False,
    mode: str | None = None,
) -> Answerer:
    """An answerer over ``index`` (default: the configured one) with the configured generator,
    or ``model`` instead, or none at all (``extractive``), in the configured answer ``mode`` or
    this one; the model loads here, once (not in ``compose`` mode, which never asks it)."""
    from dataclasses import replace

    from bot.generation.service import answer_config, current_generator, generator_from_settings
    from bot.knowledge.service import load_retriever

    retriever = load_retriever(index)
    config = answer_config()
    config = replace(config, mode=mode) if mode else config
    generator: Generator | None = None
    if not extractive and config.mode != "compose":
        if model:
            loaded = generator_from_settings(model)
            loaded.warm_up()
            generator = loaded
        else:
            generator = current_generator()
    return Answerer(retriever, generator, config)


def ask(
    question: str = typer.Argument(None, help="The question (or use --file)."),
    file: Path = typer.Option(
        None, "--file", exists=True, dir_okay=False, help="One question per line."
    ),
    index: Path = typer.Option(None, "--index", help="Index folder (default: settings.index_dir)."),
    as_json: bool = typer.Option(
        False, "--json", help="One JSON object per question, one per line."
    ),
    model: str = typer.Option(
        None, "--model", help="Generator instead of settings.generator_model."
    ),
    extractive: bool = typer.Option(
        False, "--extractive", help="No model: the best passage's sentences nearest the question."
    ),
    mode: str = typer.Option(
        None, "--mode", help="generate, compose or hybrid instead of settings.answer_mode."
    ),
) -> None:
    """Answers questions from the knowledge base, as the assistant would (grounded, with sources)."""
    from bot.knowledge.errors import KnowledgeError

    if (question is None) == (file is None):
        raise typer.BadParameter("give either a QUESTION or --file FILE")
    questions = (
        [question]
        if question is not None
        else [
            line.strip() for line in file.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
    )
    try:
        answerer = make_answerer(index, model, extractive, mode)
    except ValueError as error:  # an unknown mode
        raise typer.BadParameter(str(error), param_hint="--mode") from error
    except KnowledgeError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    for text in questions:
        answer = answerer.answer(text)
        if as_json:
            typer.echo(json.dumps(answer_record(answer), ensure_ascii=False))
        else:
            sources = "; ".join(dict.fromkeys(p.title for p in answer.sources))
            typer.echo(answer.text + (f"\nSources: {sources}" if sources else ""))
            if len(questions) > 1:
                typer.echo("")
        sys.stdout.flush()


@generator_app.command("prepare")
def prepare(
    load: bool = typer.Option(False, "--load", help="Also load and warm the model (a trial run)."),
) -> None:
    """Joins, checks and converts the configured model once, so that the action server's later
    starts take seconds (``make run`` runs this before starting it)."""
    from bot.generation.service import get_generator_service

    service = get_generator_service()
    if not service.enabled:
        typer.echo(
            "the reply generator is not used (FERNHILL_GENERATOR_ENABLED=false, or "
            "FERNHILL_ANSWER_MODE=compose)"
        )
        return
    try:
        source = service.generator.prepare()
        if load:
            service.warm_up()
    except Exception as error:  # noqa: BLE001 - a clear message instead of a traceback
        typer.echo(f"error: the reply generator could not be prepared: {error}", err=True)
        raise typer.Exit(1) from error
    typer.echo(f"reply generator {service.generator.name}: {source.folder}")
    if load:
        typer.echo(json.dumps(service.status()))
