"""Each messaging channel's settings, read from the environment by their documented names.

The names are part of the interface (the docs, ``.env.example``, operators and tests use them).
A channel is *configured* when every required setting has a value; an unconfigured channel
stays registered and answers its webhook with 503 and the names that are missing. Each
``*_API_URL`` defaults to the platform's real API and exists so that a local stand-in can
replace it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import ClassVar

TELEGRAM_API = "https://api.telegram.org"
GRAPH_API = "https://graph.facebook.com/v19.0"
TWILIO_API = "https://api.twilio.com"
# The shop's public address (the same default as the FERNHILL_SITE_URL setting of bot.settings):
# product pages and images in cards are relative to it.
SITE_URL_DEFAULT = "https://fernhill-goods.example"


def _value(env: Mapping[str, str], name: str, default: str = "") -> str:
    return env.get(name, "").strip() or default


def _public_url(env: Mapping[str, str]) -> str:
    return _value(env, "PUBLIC_BASE_URL").rstrip("/")


def site_url(env: Mapping[str, str]) -> str:
    """The shop's public address (``FERNHILL_SITE_URL``), without a trailing slash."""
    return _value(env, "FERNHILL_SITE_URL", SITE_URL_DEFAULT).rstrip("/")


@dataclass(frozen=True)
class ChannelSettings:
    """Base of the channels' settings: which are required, which are missing."""

    # field name -> environment variable; the fields listed here must have a value
    REQUIRED: ClassVar[tuple[tuple[str, str], ...]] = ()

    @property
    def missing(self) -> list[str]:
        """The environment variables a configured channel needs that have no value."""
        return [env_name for field, env_name in self.REQUIRED if not getattr(self, field)]

    @property
    def configured(self) -> bool:
        """Whether every required setting has a value."""
        return not self.missing

    def __repr__(self) -> str:  # never print tokens or secrets
        names = ", ".join(f.name for f in fields(self))
        return f"{type(self).__name__}({names}; configured={self.configured})"


@dataclass(frozen=True, repr=False)
class TelegramSettings(ChannelSettings):
    """``TELEGRAM_TOKEN``, ``TELEGRAM_WEBHOOK_SECRET``, ``TELEGRAM_API_URL``, ``PUBLIC_BASE_URL``."""

    token: str = ""
    webhook_secret: str = ""
    api_url: str = TELEGRAM_API
    public_url: str = ""
    REQUIRED: ClassVar[tuple[tuple[str, str], ...]] = (
        ("token", "TELEGRAM_TOKEN"),
        ("webhook_secret", "TELEGRAM_WEBHOOK_SECRET"),
    )

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TelegramSettings:
        """The Telegram settings in ``env`` (e.g. ``os.environ``)."""
        return cls(
            token=_value(env, "TELEGRAM_TOKEN"),
            webhook_secret=_value(env, "TELEGRAM_WEBHOOK_SECRET"),
            api_url=_value(env, "TELEGRAM_API_URL", TELEGRAM_API).rstrip("/"),
            public_url=_public_url(env),
        )

    def method_url(self, method: str) -> str:
        """The Bot API URL of ``method`` (``{api}/bot{token}/{method}``)."""
        return f"{self.api_url}/bot{self.token}/{method}"


@dataclass(frozen=True, repr=False)
class WhatsAppSettings(ChannelSettings):
    """``WHATSAPP_TOKEN``, ``WHATSAPP_PHONE_NUMBER_ID``, ``WHATSAPP_APP_SECRET``,
    ``WHATSAPP_VERIFY_TOKEN``, ``WHATSAPP_API_URL``."""

    token: str = ""
    phone_number_id: str = ""
    app_secret: str = ""
    verify_token: str = ""
    api_url: str = GRAPH_API
    REQUIRED: ClassVar[tuple[tuple[str, str], ...]] = (
        ("token", "WHATSAPP_TOKEN"),
        ("phone_number_id", "WHATSAPP_PHONE_NUMBER_ID"),
        ("app_secret", "WHATSAPP_APP_SECRET"),
        ("verify_token", "WHATSAPP_VERIFY_TOKEN"),
    )

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> WhatsAppSettings:
        """The WhatsApp Cloud API settings in ``env``."""
        return cls(
            token=_value(env, "WHATSAPP_TOKEN"),
            phone_number_id=_value(env, "WHATSAPP_PHONE_NUMBER_ID"),
            app_secret=_value(env, "WHATSAPP_APP_SECRET"),
            verify_token=_value(env, "WHATSAPP_VERIFY_TOKEN"),
            api_url=_value(env, "WHATSAPP_API_URL", GRAPH_API).rstrip("/"),
        )

    @property
    def messages_url(self) -> str:
        """Where replies are posted: ``{api}/{phone_number_id}/messages``."""
        return f"{self.api_url}/{self.phone_number_id}/messages"


@dataclass(frozen=True, repr=False)
class MessengerSettings(ChannelSettings):
    """``MESSENGER_PAGE_TOKEN``, ``MESSENGER_APP_SECRET``, ``MESSENGER_VERIFY_TOKEN``,
    ``MESSENGER_API_URL``."""

    page_token: str = ""
    app_secret: str = ""
    verify_token: str = ""
    api_url: str = GRAPH_API
    REQUIRED: ClassVar[tuple[tuple[str, str], ...]] = (
        ("page_token", "MESSENGER_PAGE_TOKEN"),
        ("app_secret", "MESSENGER_APP_SECRET"),
        ("verify_token", "MESSENGER_VERIFY_TOKEN"),
    )

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> MessengerSettings:
        """The Messenger (and Instagram) settings in ``env``."""
        return cls(
            page_token=_value(env, "MESSENGER_PAGE_TOKEN"),
            app_secret=_value(env, "MESSENGER_APP_SECRET"),
            verify_token=_value(env, "MESSENGER_VERIFY_TOKEN"),
            api_url=_value(env, "MESSENGER_API_URL", GRAPH_API).rstrip("/"),
        )

    @property
    def send_url(self) -> str:
        """The Send API: ``{api}/me/messages`` (the page token goes in the query)."""
        return f"{self.api_url}/me/messages"


@dataclass(frozen=True, repr=False)
class TwilioSettings(ChannelSettings):
    """``TWILIO_ACCOUNT_SID``, ``TWILIO_AUTH_TOKEN``, ``TWILIO_NUMBER``, ``TWILIO_API_URL``,
    ``PUBLIC_BASE_URL`` (signatures are computed over the URL Twilio calls)."""

    account_sid: str = ""
    auth_token: str = ""
    number: str = ""
    api_url: str = TWILIO_API
    public_url: str = ""
    REQUIRED: ClassVar[tuple[tuple[str, str], ...]] = (
        ("account_sid", "TWILIO_ACCOUNT_SID"),
        ("auth_token", "TWILIO_AUTH_TOKEN"),
        ("number", "TWILIO_NUMBER"),
        ("public_url", "PUBLIC_BASE_URL"),
    )

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TwilioSettings:
        """The Twilio settings in ``env``."""
        return cls(
            account_sid=_value(env, "TWILIO_ACCOUNT_SID"),
            auth_token=_value(env, "TWILIO_AUTH_TOKEN"),
            number=_value(env, "TWILIO_NUMBER"),
            api_url=_value(env, "TWILIO_API_URL", TWILIO_API).rstrip("/"),
            public_url=_public_url(env),
        )

    @property
    def messages_url(self) -> str:
        """The Messages API: ``{api}/2010-04-01/Accounts/{sid}/Messages.json``."""
        return f"{self.api_url}/2010-04-01/Accounts/{self.account_sid}/Messages.json"
