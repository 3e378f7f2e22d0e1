"""``python -m bot app-db …``: the app database's schema (upgrade it, say where it stands)."""

from __future__ import annotations

import typer

app_db_app = typer.Typer(
    help="The app database (ratings, knowledge gaps, the handoff console): its migrations.",
    no_args_is_help=True,
)


def _fail(message: str) -> typer.Exit:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(1)


@app_db_app.command("upgrade")
def upgrade() -> None:
    """Brings the app database to the newest schema: creates an empty one, stamps and upgrades one
    made before migrations, keeps every row. Nothing happens when it is already current."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.appdata.migrate import (
        AppDatabaseUpgradeError,
        database_label,
        read_schema_state,
        upgrade_app_database,
    )

    try:
        before = read_schema_state()
        if before.at_head:
            typer.echo(f"app database {database_label()}: {before.describe()}, nothing to do")
            return
        upgrade_app_database()
        after = read_schema_state()
    except (AppDatabaseUpgradeError, SQLAlchemyError) as error:
        raise _fail(f"the app database was not upgraded: {error}") from error
    typer.echo(f"app database {database_label()}: was {before.describe()}; now {after.describe()}")


@app_db_app.command("current")
def current() -> None:
    """Says which revision the app database is at (exits with 1 when it is not the newest)."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.appdata.migrate import AppDatabaseUpgradeError, database_label, read_schema_state

    try:
        state = read_schema_state()
    except (AppDatabaseUpgradeError, SQLAlchemyError) as error:
        raise _fail(f"cannot read the app database: {error}") from error
    typer.echo(f"app database {database_label()}: {state.describe()}")
    if not state.at_head:
        typer.echo("run `python -m bot app-db upgrade` (the services also upgrade it at start)")
        raise typer.Exit(1)
