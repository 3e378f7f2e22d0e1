"""``python -m bot console …``: setting up the agents' console (the first admin)."""

from __future__ import annotations

import secrets

import typer

console_app = typer.Typer(help="The agents' handoff console (/console).", no_args_is_help=True)


@console_app.command("create-admin")
def create_admin(
    email: str = typer.Option(..., prompt=True, help="The admin's e-mail (their sign-in name)."),
    name: str = typer.Option(..., prompt=True, help="The name shoppers see when they join a chat."),
    generate: bool = typer.Option(
        False, "--generate", help="Generate a strong password and print it once, instead of asking."
    ),
) -> None:
    """Creates an admin of the console; asks for a password (or generates one). No default."""
    from bot.appdata import get_app_engine, get_app_sessionmaker, upgrade_app_database
    from bot.handoff.agents import AgentError, create_agent
    from bot.handoff.models import Role

    if generate:
        password = secrets.token_urlsafe(18)
    else:
        password = typer.prompt(
            "Password (12 characters or more)", hide_input=True, confirmation_prompt=True
        )
    engine = get_app_engine()
    upgrade_app_database(engine)
    try:
        with get_app_sessionmaker(engine)() as session, session.begin():
            agent = create_agent(session, email, name, password, Role.ADMIN)
            created = (agent.email, agent.name)
    except AgentError as error:
        typer.secho(f"error: {error}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from error
    typer.echo(f"admin {created[1]} <{created[0]}> created; sign in at /console")
    if generate:
        typer.echo(f"password (shown once): {password}")
