"""``python -m bot kb …``: build, search, inspect, evaluate, calibrate and reload the index."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import typer

from bot.knowledge.errors import KnowledgeError

kb_app = typer.Typer(
    help="The knowledge index (retrieval over the shop's knowledge base).", no_args_is_help=True
)

F = TypeVar("F", bound=Callable[..., Any])
INDEX_OPTION = typer.Option(
    None, "--index", help="Index folder (default: the configured index_dir)."
)


def friendly_errors(command: F) -> F:
    """Turns knowledge errors (file and line at fault) into one line and exit status 1."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (KnowledgeError, OSError, ValueError) as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


@kb_app.command("build")
@friendly_errors
def build(
    source: list[Path] = typer.Option(
        None,
        "--source",
        help="File or folder to ingest (repeatable; default: the shop's knowledge base).",
    ),
    out: Path = typer.Option(
        None, "--out", help="Index folder (default: the configured index_dir)."
    ),
    force: bool = typer.Option(
        False, "--force", help="Rebuild even if the sources did not change."
    ),
) -> None:
    """Builds the index; only passages whose text changed are embedded again."""
    from bot.knowledge.build import build_index
    from bot.knowledge.embedder import get_embedder
    from bot.knowledge.service import build_options
    from bot.settings import get_settings

    settings = get_settings()
    sources = list(source) if source else [settings.knowledge_dir]
    embedder = get_embedder(settings.embedding_model, settings.embedding_batch_size)
    report = build_index(
        sources,
        Path(out or settings.index_dir),
        build_options(settings),
        embedder=embedder,
        force=force,
        progress=True,
    )
    typer.echo(report.summary())


@kb_app.command("search")
@friendly_errors
def search(
    question: str = typer.Argument(..., help="The shopper's question."),
    index: Path = INDEX_OPTION,
    k: int = typer.Option(
        None, "-k", "--top-k", help="How many passages to show (default: setting)."
    ),
) -> None:
    """Ranked passages for a question, with scores and sources."""
    from bot.knowledge.service import load_retriever
    from bot.settings import get_settings

    retriever = load_retriever(index)
    results = retriever.retrieve(question, k=k or get_settings().retrieval_top_k)
    if not results:
        best = retriever.score(question)[:3]
        threshold = retriever.config.min_confidence
        typer.echo(f"no answer: no passage reaches the no-answer threshold {threshold:.2f}")
        for item in best:
            typer.echo(
                f"  (below) {item.confidence:.3f}  {item.passage.id}  [{item.passage.source}]"
            )
        return
    for rank, item in enumerate(results, start=1):
        p = item.passage
        flag = " exact" if item.exact else ""
        typer.echo(
            f"{rank}. {item.score:.3f} (cosine {item.dense:.3f}, bm25 {item.lexical:.2f}{flag})  "
            f"{p.id}\n   {p.title}\n   source: {p.source}" + (f"  {p.url}" if p.url else "")
        )
        snippet = " ".join(p.text.split())
        typer.echo(f"   {snippet[:200]}{'…' if len(snippet) > 200 else ''}")


@kb_app.command("stats")
@friendly_errors
def stats(index: Path = INDEX_OPTION) -> None:
    """What is in the index: model, size, kinds of passages, sources."""
    from collections import Counter

    from bot.knowledge.store import load_index
    from bot.settings import get_settings

    folder = Path(index or get_settings().index_dir)
    stored = load_index(folder)
    manifest = stored.manifest
    kinds = Counter(p.kind for p in stored.passages)
    typer.echo(f"index: {folder}")
    typer.echo(
        f"model: {manifest['model']} ({manifest['dimension']} dimensions, "
        f"normalised: {manifest.get('normalized')})"
    )
    info = manifest.get("index", {})
    typer.echo(f"faiss: {info.get('kind')} index, recall@10 vs exact {info.get('recall_at_10')}")
    typer.echo(
        f"passages: {len(stored.passages)} ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}); "
        f"vectors: {len(stored.vectors)}"
    )
    typer.echo(f"created: {manifest.get('created_at')}")
    typer.echo("sources:")
    for name, digest in manifest.get("sources", {}).items():
        count = sum(p.source == name for p in stored.passages)
        typer.echo(f"  {name}  {count} passages  sha256 {digest[:12]}")


@kb_app.command("eval")
@friendly_errors
def evaluate_command(
    file: Path = typer.Argument(
        ..., help="CSV with columns question,expected_id (optionally style,split)."
    ),
    index: Path = INDEX_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    show_misses: bool = typer.Option(
        False, "--misses", help="List the questions not answered at rank 1."
    ),
    split: str = typer.Option(
        None, "--split", help="Only the rows of this split (e.g. dev or test)."
    ),
    style: str = typer.Option(None, "--style", help="Only the rows of this style (e.g. typos)."),
) -> None:
    """Recall@1/@5, MRR, no-answer precision/recall and latency on labelled questions."""
    from bot.knowledge.evaluate import evaluate, known_ids, read_questions, select
    from bot.knowledge.service import load_retriever

    retriever = load_retriever(index)
    questions = read_questions(file, known_ids(retriever.passages))
    if split or style:
        questions = select(questions, split, style)
    retriever.retrieve(questions[0].question)  # warm-up, not timed
    report = evaluate(retriever, questions)
    figures = report.figures()
    if as_json:
        keys = (
            "recall_at_1",
            "recall_at_5",
            "mrr",
            "no_answer_precision",
            "no_answer_recall",
            "in_scope_right",
            "out_of_scope_turned_away",
            "latency_p50_ms",
            "latency_p95_ms",
            "n",
        )
        typer.echo(json.dumps({key: figures[key] for key in keys}))
        return
    typer.echo(
        f"{file}: {report.n} questions ({report.answerable} answerable, "
        f"{report.unanswerable} unanswerable)"
    )
    for key, value in figures.items():
        if key not in ("n", "answerable", "unanswerable"):
            typer.echo(f"  {key:24} {value}")
    if len(report.by_style) > 1:
        typer.echo("  by style (answerable: answered right at rank 1; out of scope: turned away):")
        for name, row in report.by_style.items():
            typer.echo(f"    {name:20} {row['rate']:.3f}  (n={row['n']:.0f})")
    if show_misses:
        for miss in report.misses:
            typer.echo(
                f"  line {miss['line']}: {miss['question']!r} expected {miss['expected']} "
                f"got {miss['got']} (rank {miss.get('rank')})"
            )


@kb_app.command("eval-offtopic")
@friendly_errors
def evaluate_offtopic_command(
    clinc: Path = typer.Option(
        None,
        "--clinc",
        help="CLINC150 data_full.json (default: "
        "../shared/datasets/clinc150/data_full.json next to the repository).",
    ),
    n: int = typer.Option(
        300, "-n", help="Questions in the sample (half out-of-scope, half other intents)."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the sample."),
    index: Path = INDEX_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Share of other people's off-topic questions (a CLINC150 sample) that are turned away."""
    from bot.knowledge.evaluate import evaluate
    from bot.knowledge.offtopic import DEFAULT_CLINC, clinc_sample
    from bot.knowledge.service import load_retriever

    path = Path(clinc or DEFAULT_CLINC)
    if not path.is_file():
        typer.echo(
            f"skipped: {path} not found (CLINC150 is read from the shared datasets, never copied)"
        )
        return
    questions = clinc_sample(path, n=n, seed=seed)
    retriever = load_retriever(index)
    report = evaluate(retriever, questions)
    rates = {name: round(row["rate"], 4) for name, row in report.by_style.items()}
    if as_json:
        typer.echo(
            json.dumps(
                {"turned_away": round(report.out_of_scope_turned_away, 4), **rates, "n": report.n}
            )
        )
        return
    typer.echo(
        f"{path}: {report.n} off-topic questions (seed {seed}), threshold "
        f"{retriever.config.min_confidence:.3f}"
    )
    typer.echo(f"  turned away            {report.out_of_scope_turned_away:.3f}")
    for name, rate in rates.items():
        typer.echo(f"    {name:20} {rate:.3f}")
    for miss in report.misses[:10]:
        typer.echo(f"  answered: {miss['question']!r} -> {miss['got']}")


@kb_app.command("calibrate")
@friendly_errors
def calibrate_command(
    files: list[Path] = typer.Argument(
        ..., help="CSV files with columns question,expected_id (with unanswerable rows)."
    ),
    index: Path = INDEX_OPTION,
    min_precision: float = typer.Option(0.9, help="No-answer precision the threshold must keep."),
    max_lost: float = typer.Option(
        0.02, help="Most share of found answerable questions turned away."
    ),
    split: str = typer.Option(
        None,
        "--split",
        help="Of files with a split column, only this split "
        "(never calibrate on the split you report).",
    ),
) -> None:
    """Finds the no-answer threshold for labelled questions and prints how to set it."""
    from bot.knowledge.calibrate import calibrate
    from bot.knowledge.evaluate import known_ids, read_questions
    from bot.knowledge.service import load_retriever

    retriever = load_retriever(index)
    questions = []
    for file in files:
        rows = read_questions(file, known_ids(retriever.passages))
        if split and any(q.split for q in rows):
            rows = [q for q in rows if q.split == split]
        questions.extend(rows)
    typer.echo(
        f"{len(questions)} questions ({sum(not q.expected for q in questions)} unanswerable)"
    )
    result = calibrate(retriever, questions, min_precision=min_precision, max_lost=max_lost)
    for line in result.table():
        typer.echo(line)
    typer.echo(
        f"recommended: FERNHILL_RETRIEVAL_MIN_CONFIDENCE={result.threshold:.3f}  "
        f"(now {retriever.config.min_confidence:.3f})"
    )


@kb_app.command("reload")
@friendly_errors
def reload_command(
    url: str = typer.Option(
        None, "--url", help="Action server URL (default: the configured action_url)."
    ),
    token: str = typer.Option(
        None, "--token", help="Bearer token (default: setting or var/action-api-token)."
    ),
) -> None:
    """Tells the running action server to load the rebuilt index (no restart)."""
    import requests

    from bot.settings import get_settings

    settings = get_settings()
    resolved = token or settings.resolved_action_api_token()
    if not resolved:
        raise ValueError(
            "no token: set FERNHILL_ACTION_API_TOKEN or start the assistant with make run"
        )
    endpoint = f"{(url or settings.action_url).rstrip('/')}/knowledge/reload"
    try:
        answer = requests.post(
            endpoint, headers={"Authorization": f"Bearer {resolved}"}, timeout=300
        )
    except requests.RequestException as error:
        raise ValueError(f"{endpoint}: the action server did not answer ({error})") from None
    body = (
        answer.json()
        if answer.headers.get("content-type", "").startswith("application/json")
        else {}
    )
    if answer.status_code != 200:
        raise ValueError(
            f"{endpoint}: HTTP {answer.status_code}: {body.get('reason') or answer.text[:200]}"
        )
    typer.echo(
        f"reloaded: {body.get('passages')} passages, generation {body.get('generation')}, "
        f"{body.get('seconds', 0):.2f} s"
    )
