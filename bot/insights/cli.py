"""``python -m bot insights …``: bring the analytics tables up to date, rebuild them, print the
report."""

from __future__ import annotations

import json
from datetime import date

import typer

insights_app = typer.Typer(
    help="Conversation analytics from Rasa's events: update, rebuild, report.",
    no_args_is_help=True,
)
TRACKER_OPTION = typer.Option(
    None,
    "--tracker-url",
    help="SQLAlchemy URL of Rasa's SQL tracker store (default: FERNHILL_TRACKER_STORE_URL).",
)


def _fail(message: str) -> typer.Exit:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(1)


def _refresh(tracker_url: str | None, rebuild: bool) -> None:
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.exc import SQLAlchemyError

    from bot.appdata.db import get_app_engine
    from bot.insights.refresh import rebuild_insights, update_insights
    from bot.settings import get_settings

    tracker_url = tracker_url or get_settings().tracker_store_url
    tracker = create_engine(tracker_url)
    try:
        if not inspect(tracker).has_table("events"):
            raise _fail(f"no Rasa events in {tracker_url} (the tracker store has no events table)")
        run = rebuild_insights if rebuild else update_insights
        done = run(get_app_engine(), tracker)
    except SQLAlchemyError as error:
        raise _fail(f"the analytics were not updated: {error}") from error
    finally:
        tracker.dispose()
    typer.echo(
        f"{done.events} events of {done.conversations} conversations read in "
        f"{done.seconds:.1f} s; cursor at event {done.last_event_id}"
    )


@insights_app.command("update")
def update(tracker_url: str | None = TRACKER_OPTION) -> None:
    """Reads the events that arrived since the last update into the analytics tables."""
    _refresh(tracker_url, rebuild=False)


@insights_app.command("rebuild")
def rebuild(tracker_url: str | None = TRACKER_OPTION) -> None:
    """Empties the analytics tables and reads every event of the tracker store again."""
    _refresh(tracker_url, rebuild=True)


@insights_app.command("consume")
def consume_events(
    broker_url: str = typer.Option(
        "amqp://guest:guest@127.0.0.1:5672/%2F",
        "--broker-url",
        envvar="FERNHILL_INSIGHTS_BROKER_URL",
        help="RabbitMQ URL of Rasa's pika event broker.",
    ),
    queue: str = typer.Option(
        "fernhill_insights",
        "--queue",
        envvar="FERNHILL_INSIGHTS_QUEUE",
        help="The analytics' own queue, bound to Rasa's exchange (rasa-exchange).",
    ),
    log_url: str = typer.Option(
        "sqlite:///var/insight-events.db",
        "--log-url",
        envvar="FERNHILL_INSIGHTS_EVENT_LOG_URL",
        help="SQLAlchemy URL of the event log the events are written to.",
    ),
    idle: float = typer.Option(
        None, "--idle", help="Stop after this many seconds without a message (default: never)."
    ),
) -> None:
    """Reads Rasa's events from the RabbitMQ event broker into the event log and updates the
    analytics after each batch (use instead of reading the tracker store, not beside it)."""
    import pika.exceptions  # type: ignore[import-untyped]
    from sqlalchemy import create_engine
    from sqlalchemy.exc import SQLAlchemyError

    from bot.appdata.db import get_app_engine
    from bot.insights.broker import consume
    from bot.insights.refresh import update_insights

    events = create_engine(log_url)
    app_engine = get_app_engine()

    def after_batch(new: int) -> None:
        if new:
            done = update_insights(app_engine, events)
            typer.echo(f"{new} new events; cursor at event {done.last_event_id}")

    try:
        done = consume(broker_url, queue, events, idle_seconds=idle, after_batch=after_batch)
    except pika.exceptions.AMQPError as error:
        raise _fail(
            f"{broker_url}: the event broker refused or did not answer ({error!r})"
        ) from error
    except SQLAlchemyError as error:
        raise _fail(f"the events were not stored: {error}") from error
    typer.echo(f"{done.received} messages received, {done.stored} new events stored")


@insights_app.command("report")
def report(
    since: str = typer.Option(None, "--since", help="First day (YYYY-MM-DD), UTC."),
    until: str = typer.Option(None, "--until", help="Last day (YYYY-MM-DD), UTC."),
    channel: str = typer.Option(None, "--channel", help="One channel (socketio, telegram…)."),
    week: bool = typer.Option(False, "--week", help="Per week instead of per day."),
    as_json: bool = typer.Option(False, "--json", help="The whole report as JSON."),
) -> None:
    """Prints the measures of the analytics tables (run ``update`` first for the newest)."""
    from bot.appdata.db import get_app_engine, get_app_sessionmaker
    from bot.appdata.migrate import upgrade_app_database
    from bot.insights.filters import InsightFilter
    from bot.insights.report import build_report
    from bot.insights.text_report import report_lines

    try:
        where = InsightFilter(
            date.fromisoformat(since) if since else None,
            date.fromisoformat(until) if until else None,
            channel or None,
        )
    except ValueError as error:
        raise _fail(str(error)) from error
    engine = get_app_engine()
    upgrade_app_database(engine)
    with get_app_sessionmaker(engine)() as session:
        found = build_report(session, where, "week" if week else "day")
    typer.echo(json.dumps(found, indent=2) if as_json else "\n".join(report_lines(found)))
