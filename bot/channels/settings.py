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
from typing import ClassVar, TypeVar
from urllib.parse import quote

TELEGRAM_API = "https://api.telegram.org"
GRAPH_API = "https://graph.facebook.com/v19.0"
TWILIO_API = "https://api.twilio.com"
# The shop's public address (the same default as the FERNHILL_SITE_URL setting of bot.settings):
# product pages and images in cards are relative to it.
SITE_URL_DEFAULT = "https://fernhill-goods.example"


def _value(env: Mapping[str, str], name: str, default: str = "") -> str:
    return env.get(name, "").strip() or default


def site_url(env: Mapping[str, str]) -> str:
    """The shop's public address (``FERNHILL_SITE_URL``), without a trailing slash."""
    return _value(env, "FERNHILL_SITE_URL", SITE_URL_DEFAULT).rstrip("/")


_Settings = TypeVar("_Settings", bound="ChannelSettings")


@dataclass(frozen=True)
class ChannelSettings:
    """Base of the channels' settings: where each field comes from, which are required, which
    are missing.

    A subclass lists its fields once in ``ENV`` (field name -> environment variable) and names
    the ones a configured channel needs in ``REQUIRED``; :meth:`from_env` reads them all (a
    field's default stands for an empty variable; URLs lose a trailing slash).
    """

    ENV: ClassVar[Mapping[str, str]] = {}
    REQUIRED: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def from_env(cls: type[_Settings], env: Mapping[str, str]) -> _Settings:
        """The settings in ``env`` (e.g. ``os.environ``)."""
        values: dict[str, str] = {}
        for field in fields(cls):
            default = field.default if isinstance(field.default, str) else ""
            value = _value(env, cls.ENV[field.name], default)
            values[field.name] = value.rstrip("/") if field.name.endswith("_url") else value
        return cls(**values)

    @property
    def missing(self) -> list[str]:
        """The environment variables a configured channel needs that have no value."""
        return [self.ENV[field] for field in self.REQUIRED if not getattr(self, field)]

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
    ENV: ClassVar[Mapping[str, str]] = {
        "token": "TELEGRAM_TOKEN",
        "webhook_secret": "TELEGRAM_WEBHOOK_SECRET",
        "api_url": "TELEGRAM_API_URL",
        "public_url": "PUBLIC_BASE_URL",
    }
    REQUIRED: ClassVar[tuple[str, ...]] = ("token", "webhook_secret")

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
    ENV: ClassVar[Mapping[str, str]] = {
        "token": "WHATSAPP_TOKEN",
        "phone_number_id": "WHATSAPP_PHONE_NUMBER_ID",
        "app_secret": "WHATSAPP_APP_SECRET",
        "verify_token": "WHATSAPP_VERIFY_TOKEN",
        "api_url": "WHATSAPP_API_URL",
    }
    REQUIRED: ClassVar[tuple[str, ...]] = ("token", "phone_number_id", "app_secret", "verify_token")

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
    ENV: ClassVar[Mapping[str, str]] = {
        "page_token": "MESSENGER_PAGE_TOKEN",
        "app_secret": "MESSENGER_APP_SECRET",
        "verify_token": "MESSENGER_VERIFY_TOKEN",
        "api_url": "MESSENGER_API_URL",
    }
    REQUIRED: ClassVar[tuple[str, ...]] = ("page_token", "app_secret", "verify_token")

    @property
    def send_url(self) -> str:
        """The Send API: ``{api}/me/messages`` (the page token goes in the query)."""
        return f"{self.api_url}/me/messages"

    def profile_url(self, user_id: str) -> str:
        """The Graph API node of a Messenger or Instagram user (``{api}/{PSID or IGSID}``)."""
        return f"{self.api_url}/{quote(user_id, safe='')}"


@dataclass(frozen=True, repr=False)
class TwilioSettings(ChannelSettings):
    """``TWILIO_ACCOUNT_SID``, ``TWILIO_AUTH_TOKEN``, ``TWILIO_NUMBER``, ``TWILIO_API_URL``,
    ``PUBLIC_BASE_URL`` (signatures are computed over the URL Twilio calls)."""

    account_sid: str = ""
    auth_token: str = ""
    number: str = ""
    api_url: str = TWILIO_API
    public_url: str = ""
    ENV: ClassVar[Mapping[str, str]] = {
        "account_sid": "TWILIO_ACCOUNT_SID",
        "auth_token": "TWILIO_AUTH_TOKEN",
        "number": "TWILIO_NUMBER",
        "api_url": "TWILIO_API_URL",
        "public_url": "PUBLIC_BASE_URL",
    }
    REQUIRED: ClassVar[tuple[str, ...]] = ("account_sid", "auth_token", "number", "public_url")

    @property
    def messages_url(self) -> str:
        """The Messages API: ``{api}/2010-04-01/Accounts/{sid}/Messages.json``."""
        return f"{self.api_url}/2010-04-01/Accounts/{self.account_sid}/Messages.json"
