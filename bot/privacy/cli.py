"""``python -m bot privacy …``: purge what is past its retention limit; export or erase one
shopper's data (by e-mail address or conversation id)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

privacy_app = typer.Typer(
    help="Shoppers' data: retention purge, export and erasure (docs/privacy.md).",
    no_args_is_help=True,
)
EmailOption = Annotated[str | None, typer.Option("--email", help="The shopper's e-mail address.")]
ConversationOption = Annotated[
    str | None, typer.Option("--conversation", help="A conversation id (Rasa's sender id).")
]


def _fail(message: str) -> typer.Exit:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(1)


def _subject(email: str | None, conversation: str | None) -> object:
    from bot.privacy.shopper_data import Subject

    try:
        return Subject(email=email, conversation_id=conversation)
    except ValueError as error:
        raise _fail(str(error)) from error


@privacy_app.command("purge")
def purge_command() -> None:
    """Deletes conversations, knowledge gaps, ratings and profiles older than their
    ``FERNHILL_RETENTION_*_DAYS`` setting (``make run`` runs it daily)."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.privacy.retention import RetentionDays, purge
    from bot.privacy.sessions import app_session, tracker_engine

    try:
        days = RetentionDays.from_settings()
        with app_session() as session, session.begin():
            counts = purge(session, tracker_engine(), days)
    except (ValueError, SQLAlchemyError) as error:
        raise _fail(f"nothing was purged: {error}") from error
    summary = ", ".join(f"{n} {table}" for table, n in sorted(counts.items())) or "nothing"
    typer.echo(f"purged {summary} (kept: {days})")


@privacy_app.command("export")
def export_command(
    email: EmailOption = None,
    conversation: ConversationOption = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
) -> None:
    """Prints (or writes) everything stored about one shopper, as JSON."""
    from bot.privacy.sessions import app_session, tracker_engine
    from bot.privacy.shopper_data import ShopperNotFound, Subject, export_shopper

    subject = _subject(email, conversation)
    assert isinstance(subject, Subject)
    try:
        with app_session() as session:
            document = export_shopper(subject, session, tracker_engine())
    except ShopperNotFound as error:
        raise _fail(str(error)) from error
    text = json.dumps(document, indent=2, ensure_ascii=False, default=str)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"wrote {out} ({len(document['conversations'])} conversations)")


@privacy_app.command("erase")
def erase_command(
    email: EmailOption = None,
    conversation: ConversationOption = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Deletes everything stored about one shopper (the shop's orders stay)."""
    from bot.privacy.sessions import app_session, tracker_engine
    from bot.privacy.shopper_data import ShopperNotFound, Subject, erase_shopper

    subject = _subject(email, conversation)
    assert isinstance(subject, Subject)
    if not yes:
        typer.confirm(f"Erase everything stored about {email or conversation}?", abort=True)
    try:
        with app_session() as session, session.begin():
            erased = erase_shopper(subject, session, tracker_engine())
    except ShopperNotFound as error:
        raise _fail(str(error)) from error
    rows = ", ".join(f"{n} {table}" for table, n in sorted(erased.rows.items()) if n)
    typer.echo(f"erased {len(erased.conversations)} conversations: {rows}")
