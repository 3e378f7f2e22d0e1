"""``python -m bot channels ...``: set-up of the messaging apps that is done once, on purpose, with
a network (never at start-up)."""

from __future__ import annotations

import os

import httpx
import typer

from bot.channels import telegram
from bot.channels.settings import TelegramSettings

channels_app = typer.Typer(help="Messaging-app channels (Telegram, ...).", no_args_is_help=True)
register_app = typer.Typer(help="Registers a channel's webhook with its platform.")
channels_app.add_typer(register_app, name="register")


@register_app.command("telegram")
def register_telegram(
    timeout: float = typer.Option(20.0, help="Seconds to wait for Telegram's answer."),
) -> None:
    """Calls ``setWebhook`` on TELEGRAM_API_URL: Telegram then posts updates to
    PUBLIC_BASE_URL/webhooks/telegram/webhook with TELEGRAM_WEBHOOK_SECRET."""
    settings = TelegramSettings.from_env(os.environ)
    missing = settings.missing + ([] if settings.public_url else ["PUBLIC_BASE_URL"])
    if missing:
        typer.echo(f"Telegram is not configured: set {', '.join(missing)}.", err=True)
        raise typer.Exit(code=2)
    call = telegram.set_webhook_call(settings.public_url, settings.webhook_secret)
    try:
        answer = httpx.post(settings.method_url(call["method"]), json=call["body"], timeout=timeout)
    except httpx.HTTPError as error:
        typer.echo(
            f"setWebhook failed: {settings.api_url} could not be reached ({error}).", err=True
        )
        raise typer.Exit(code=1) from error
    try:
        result = answer.json()
    except ValueError:
        result = {"ok": False, "description": answer.text[:300]}
    if answer.status_code != 200 or not result.get("ok"):
        reason = result.get("description") or f"HTTP {answer.status_code}"
        typer.echo(f"setWebhook refused by {settings.api_url}: {reason}", err=True)
        raise typer.Exit(code=1)
    typer.echo(
        f"setWebhook on {settings.api_url}: Telegram now posts "
        f"{', '.join(call['body']['allowed_updates'])} updates to {call['body']['url']} "
        f"with the secret token ({result.get('description') or 'ok'})."
    )
