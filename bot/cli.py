"""Command line of the assistant: ``python -m bot COMMAND``."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import typer

from bot.appdata.cli import app_db_app
from bot.channels.cli import channels_app
from bot.generation.cli import ask, generator_app
from bot.generation.verify_cli import verify
from bot.handoff.cli import console_app
from bot.insights.cli import insights_app
from bot.knowledge.cli import kb_app
from bot.privacy.cli import privacy_app

if TYPE_CHECKING:
    from bot.commerce import SeedReport

app = typer.Typer(help="Fernhill Goods customer-service assistant.", no_args_is_help=True)
db_app = typer.Typer(help="The shop database (orders, customers, refunds).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(app_db_app, name="app-db")
app.add_typer(kb_app, name="kb")
app.add_typer(generator_app, name="generator")
app.command("ask")(ask)
app.command("verify")(verify)
app.add_typer(console_app, name="console")
app.add_typer(channels_app, name="channels")
app.add_typer(insights_app, name="insights")
app.add_typer(privacy_app, name="privacy")


def describe_seed(report: SeedReport) -> str:
    """One line about the shop database after init or reset."""
    state = "created and seeded" if report.seeded else "already seeded"
    statuses = ", ".join(f"{n} {s}" for s, n in sorted(report.orders_by_status.items()))
    return (
        f"shop database {state}: {report.customers} customers, {report.orders} orders "
        f"({statuses}), {report.products} products"
    )


@db_app.command("init")
def db_init() -> None:
    """Creates the schema and seeds the demo shop data if the database is empty."""
    from bot.commerce import ensure_database

    typer.echo(describe_seed(ensure_database()))


@db_app.command("reset")
def db_reset(yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation.")) -> None:
    """Deletes all shop data and seeds it again (deterministic)."""
    from bot.commerce import get_engine, seed_database

    if not yes:
        typer.confirm("This deletes every order, customer and refund. Continue?", abort=True)
    typer.echo(describe_seed(seed_database(get_engine(), reset=True)))


@app.command()
def web(
    host: str = typer.Option(None, help="Interface to listen on (default: settings)."),
    port: int = typer.Option(None, help="Port to listen on (default: settings)."),
) -> None:
    """Runs the web app (shop page with the chat)."""
    import uvicorn

    from bot.settings import get_settings
    from bot.web.app import create_app

    settings = get_settings()
    uvicorn.run(create_app(), host=host or settings.web_host, port=port or settings.web_port)


def main() -> None:
    """Entry point for ``python -m bot``."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for noisy in ("faiss.loader", "sentence_transformers", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    app()
