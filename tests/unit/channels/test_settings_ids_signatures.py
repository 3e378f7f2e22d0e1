"""Channel settings from the environment, conversation ids and request signatures."""

import base64
import hashlib
import hmac

import pytest

from bot.channels.ids import conversation_id, platform_id
from bot.channels.settings import (
    GRAPH_API,
    SITE_URL_DEFAULT,
    TELEGRAM_API,
    MessengerSettings,
    TelegramSettings,
    TwilioSettings,
    WhatsAppSettings,
    site_url,
)
from bot.channels.signatures import (
    meta_signature,
    same_secret,
    twilio_signature,
    valid_meta_signature,
)
from bot.settings import Settings

pytestmark = pytest.mark.unit


def test_a_channel_without_its_settings_names_what_is_missing():
    empty = TelegramSettings.from_env({})
    assert not empty.configured
    assert empty.missing == ["TELEGRAM_TOKEN", "TELEGRAM_WEBHOOK_SECRET"]
    assert empty.api_url == TELEGRAM_API
    assert WhatsAppSettings.from_env({"WHATSAPP_TOKEN": "t"}).missing == [
        "WHATSAPP_PHONE_NUMBER_ID",
        "WHATSAPP_APP_SECRET",
        "WHATSAPP_VERIFY_TOKEN",
    ]
    assert MessengerSettings.from_env({}).api_url == GRAPH_API
    assert "PUBLIC_BASE_URL" in TwilioSettings.from_env({}).missing


def test_settings_read_the_documented_names_and_never_print_secrets():
    env = {
        "TELEGRAM_TOKEN": "123:abc",
        "TELEGRAM_WEBHOOK_SECRET": "s3cret",
        "TELEGRAM_API_URL": "http://127.0.0.1:9/",
        "PUBLIC_BASE_URL": "https://bot.example/",
    }
    settings = TelegramSettings.from_env(env)
    assert settings.configured
    assert settings.method_url("sendMessage") == "http://127.0.0.1:9/bot123:abc/sendMessage"
    assert settings.public_url == "https://bot.example"
    assert "abc" not in repr(settings) and "s3cret" not in repr(settings)
    whatsapp = WhatsAppSettings.from_env(
        {"WHATSAPP_PHONE_NUMBER_ID": "106540352242922", "WHATSAPP_API_URL": "http://h/v19.0"}
    )
    assert whatsapp.messages_url == "http://h/v19.0/106540352242922/messages"
    twilio = TwilioSettings.from_env({"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_API_URL": "http://h"})
    assert twilio.messages_url == "http://h/2010-04-01/Accounts/AC1/Messages.json"


def test_the_site_url_default_is_the_settings_default():
    assert SITE_URL_DEFAULT == Settings.model_fields["site_url"].default
    assert site_url({}) == SITE_URL_DEFAULT
    assert site_url({"FERNHILL_SITE_URL": "https://shop.example/"}) == "https://shop.example"


def test_conversation_ids_carry_the_channel():
    assert conversation_id("telegram", 4242) == "telegram:4242"
    assert platform_id("whatsapp", "whatsapp:31612345678") == "31612345678"
    assert platform_id("twilio", conversation_id("twilio", "whatsapp:+3161")) == "whatsapp:+3161"
    with pytest.raises(ValueError, match="starts with 'telegram:'"):
        platform_id("telegram", "whatsapp:4242")
    with pytest.raises(ValueError, match="channel must be one of"):
        conversation_id("fax", "1")
    with pytest.raises(ValueError, match="needs a platform id"):
        conversation_id("telegram", " ")


def test_secrets_compare_whole_and_never_match_empty_values():
    assert same_secret("abc", "abc")
    assert not same_secret("abc", "abd") and not same_secret("abc", "ab")
    assert not same_secret("abc", None) and not same_secret("", "")


def test_meta_signature_is_hmac_sha256_of_the_raw_body():
    body = b'{"object":"whatsapp_business_account"}'
    expected = "sha256=" + hmac.new(b"app-secret", body, hashlib.sha256).hexdigest()
    assert meta_signature("app-secret", body) == expected
    assert valid_meta_signature("app-secret", body, expected)
    assert not valid_meta_signature("app-secret", body + b" ", expected)
    assert not valid_meta_signature("other", body, expected)
    assert not valid_meta_signature("app-secret", body, None)


def test_twilio_signature_is_hmac_sha1_of_the_url_and_sorted_parameters():
    # https://www.twilio.com/docs/usage/security#validating-requests (checked against twilio's
    # RequestValidator in tests/unit/rasa_channels/test_messaging_channels.py)
    url = "https://example.com/myapp.php?foo=1&bar=2"
    params = {"From": "+12349013030", "CallSid": "CA1234567890ABCDE", "To": "+18005551212"}
    data = url + "CallSidCA1234567890ABCDE" + "From+12349013030" + "To+18005551212"
    digest = hmac.new(b"12345", data.encode(), hashlib.sha1).digest()
    assert twilio_signature("12345", url, params.items()) == base64.b64encode(digest).decode()
    assert twilio_signature("54321", url, params.items()) != base64.b64encode(digest).decode()
