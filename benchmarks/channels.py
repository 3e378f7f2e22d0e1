"""Messaging-app channels benchmark: the time from a platform's webhook call to the assistant's
reply reaching the platform's API, per channel.

Starts the action server and Rasa (the trained model in models/, the project's credentials.yml)
with a freshly seeded shop in a temporary folder and every channel pointed at a local stand-in of
its platform's API (devtools/platform_standin.py). For each channel it sends ``--messages``
authenticated deliveries of the same question from new shoppers, one at a time, each timed from
just before the webhook ``POST`` to the moment the stand-in received the reply's last API call
(the same process's clock). Prints median, p95 and max per channel. Run after ``make train``, on
an otherwise idle machine:

    .venv/bin/python benchmarks/channels.py --messages 20
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import requests

from bot.channels.signatures import meta_signature, twilio_signature
from bot.commerce import get_engine, seed_database
from devtools.platform_standin import ChannelRasa, PlatformStandIn
from devtools.servers import ROOT, start_action_server

FIXTURES = ROOT / "tests" / "fixtures" / "channels"
TELEGRAM = {"token": "7000000001:AAbench", "secret": "bench-secret"}
WHATSAPP = {"token": "EAAbench", "phone": "106540352242922", "secret": "bench-app-secret"}
MESSENGER = {"token": "EAAbench-page", "secret": "bench-messenger-secret"}
TWILIO = {"sid": "AC" + "0" * 32, "token": "bench-twilio-token", "number": "+3197010250000"}
PUBLIC_BASE_URL = "https://chat.example.com"


def percentiles(values: list[float]) -> str:
    """Median, p95 and max of ``values`` (milliseconds)."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"median {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms   "
        f"max {ordered[-1]:7.1f} ms   (n={len(ordered)})"
    )


def fixture(path: str) -> dict:
    return json.loads((FIXTURES / path).read_text())


def telegram_post(rasa_url: str, text: str, number: int) -> requests.Response:
    """A Telegram text update from a new chat."""
    update = fixture("telegram/text_message.json")
    update["update_id"] = number
    update["message"]["chat"]["id"] = update["message"]["from"]["id"] = number
    update["message"]["text"] = text
    return requests.post(
        f"{rasa_url}/webhooks/telegram/webhook",
        json=update,
        headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM["secret"]},
        timeout=120,
    )


def whatsapp_post(rasa_url: str, text: str, number: int) -> requests.Response:
    """A signed WhatsApp text delivery from a new number."""
    data = fixture("whatsapp/text_message.json")
    value = data["entry"][0]["changes"][0]["value"]
    value["contacts"][0]["wa_id"] = value["messages"][0]["from"] = str(number)
    value["messages"][0]["id"] = f"wamid.bench{number}"
    value["messages"][0]["text"]["body"] = text
    body = json.dumps(data).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Hub-Signature-256": meta_signature(WHATSAPP["secret"], body),
    }
    return requests.post(
        f"{rasa_url}/webhooks/whatsapp/webhook", data=body, headers=headers, timeout=120
    )


def messenger_post(rasa_url: str, text: str, number: int) -> requests.Response:
    """A signed Messenger text delivery from a new PSID."""
    data = fixture("messenger/text_message.json")
    event = data["entry"][0]["messaging"][0]
    event["sender"]["id"] = str(number)
    event["message"].update(mid=f"m_bench{number}", text=text)
    body = json.dumps(data).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Hub-Signature-256": meta_signature(MESSENGER["secret"], body),
    }
    return requests.post(
        f"{rasa_url}/webhooks/messenger/webhook", data=body, headers=headers, timeout=120
    )


def twilio_post(rasa_url: str, text: str, number: int) -> requests.Response:
    """A signed Twilio SMS webhook from a new phone number."""
    form = fixture("twilio/sms.json")
    form.update(MessageSid=f"SM{number:032x}", From=f"+31{number}", Body=text)
    path = "/webhooks/twilio/webhook"
    signature = twilio_signature(TWILIO["token"], PUBLIC_BASE_URL + path, form.items())
    return requests.post(
        f"{rasa_url}{path}", data=form, headers={"X-Twilio-Signature": signature}, timeout=120
    )


CHANNELS: dict[str, Callable[[str, str, int], requests.Response]] = {
    "telegram": telegram_post,
    "whatsapp": whatsapp_post,
    "messenger": messenger_post,
    "twilio": twilio_post,
}


def channel_env(stand_in_url: str) -> dict[str, str]:
    """Every channel configured against the stand-in."""
    return {
        "TELEGRAM_TOKEN": TELEGRAM["token"],
        "TELEGRAM_WEBHOOK_SECRET": TELEGRAM["secret"],
        "TELEGRAM_API_URL": stand_in_url,
        "WHATSAPP_TOKEN": WHATSAPP["token"],
        "WHATSAPP_PHONE_NUMBER_ID": WHATSAPP["phone"],
        "WHATSAPP_APP_SECRET": WHATSAPP["secret"],
        "WHATSAPP_VERIFY_TOKEN": "bench-verify",
        "WHATSAPP_API_URL": stand_in_url,
        "MESSENGER_PAGE_TOKEN": MESSENGER["token"],
        "MESSENGER_APP_SECRET": MESSENGER["secret"],
        "MESSENGER_VERIFY_TOKEN": "bench-verify",
        "MESSENGER_API_URL": stand_in_url,
        "TWILIO_ACCOUNT_SID": TWILIO["sid"],
        "TWILIO_AUTH_TOKEN": TWILIO["token"],
        "TWILIO_NUMBER": TWILIO["number"],
        "TWILIO_API_URL": stand_in_url,
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
    }


def measure(
    rasa: ChannelRasa, stand_in: PlatformStandIn, name: str, text: str, messages: int
) -> list[float]:
    """Milliseconds from each webhook call to its reply's last API call at the stand-in."""
    post = CHANNELS[name]
    timings: list[float] = []
    for _ in range(messages):
        start_count = len(stand_in.requests)
        started = time.monotonic()
        answer = post(rasa.url, text, random.randint(10**6, 10**9))
        if answer.status_code != 200:
            raise RuntimeError(f"{name} webhook answered {answer.status_code}: {answer.text}")
        calls = stand_in.wait_for(1, start=start_count)
        timings.append((calls[-1].at - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=20, help="deliveries per channel")
    parser.add_argument("--text", default="hello", help="what each shopper writes")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-channels-"))
    stand_in = PlatformStandIn()
    servers = []
    try:
        database_url = f"sqlite:///{tmp / 'shop.db'}"
        seed_database(get_engine(database_url))
        action = start_action_server(tmp, database_url)
        servers.append(action)
        rasa = ChannelRasa(tmp, action.url, "bench-token", channel_env(stand_in.url))
        servers.append(rasa)
        for name in CHANNELS:
            measure(rasa, stand_in, name, args.text, 2)  # warm-up
            timings = measure(rasa, stand_in, name, args.text, args.messages)
            print(f"{name:9s} webhook → reply at the API stand-in: {percentiles(timings)}")
    finally:
        for server in reversed(servers):
            server.stop()
        stand_in.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
