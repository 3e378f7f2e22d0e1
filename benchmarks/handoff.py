"""Handoff benchmark: how fast an agent's reply reaches the shopper's widget, and how fast a
shopper's message reaches the console, with the real servers and Debian's Chromium.

Starts the action server, Rasa (the trained model in models/) and the web app on free ports with
a freshly seeded shop and app database in a temporary folder, opens the demo shop's widget, asks
for a person, signs an agent in over the console API, claims the conversation and then:

- **agent → widget**: sends ``--replies`` replies through ``POST /api/console/conversations/{id}/
  messages``; each is timed from just before the request to the moment the widget's DOM shows it
  (a MutationObserver in the page, the same machine's clock);
- **shopper → console**: the shopper sends ``--messages`` messages in the widget; each is timed
  until the console's event stream (SSE) announces it (bounded by ``console_poll_seconds``).

Prints median, p95 and max of each. Run after ``make train``, on an otherwise idle machine:

    .venv/bin/python benchmarks/handoff.py --replies 30 --messages 10
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

import requests

from bot.commerce import get_engine, seed_database
from devtools.console import PASSWORD, add_agent
from devtools.servers import start_action_server, start_rasa_server, start_web_app

# Records in window.__seen[needle] when an agent's message with that text appears in the widget
# (inside its open shadow root), by the browser's clock.
WATCH = """(needle) => {
  window.__seen = window.__seen || {};
  const root = document.getElementById('fernhill-chat').shadowRoot;
  const seen = () => [...root.querySelectorAll('.fc-agent')].some((n) => n.textContent.includes(needle));
  new MutationObserver((_, observer) => {
    if (seen()) { observer.disconnect(); window.__seen[needle] = Date.now(); }
  }).observe(root, {subtree: true, childList: true, characterData: true});
}"""
SEEN = "(needle) => (window.__seen || {})[needle] || null"


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"median {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms   "
        f"max {ordered[-1]:7.1f} ms   (n={len(ordered)})"
    )


class EventStream:
    """Reads the console's SSE stream in a thread and records when each message text arrived."""

    def __init__(self, session: requests.Session, url: str) -> None:
        self.arrived: dict[str, float] = {}
        self._response = session.get(url, stream=True, timeout=(5, None))
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for line in self._response.iter_lines(decode_unicode=True):
                if line and line.startswith("data: "):
                    event = json.loads(line[6:])
                    if event.get("type") == "message":
                        self.arrived.setdefault(event["message"]["text"], time.time() * 1000)
        except requests.RequestException:
            return  # the web app stopped at the end of the run

    def wait_for(self, text: str, timeout: float = 10.0) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.arrived:
                return self.arrived[text]
            time.sleep(0.005)
        raise TimeoutError(f"the console never announced {text!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replies", type=int, default=20, help="agent replies to time")
    parser.add_argument("--messages", type=int, default=10, help="shopper messages to time")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="handoff-bench-"))
    servers = []
    try:
        shop_url, app_url = f"sqlite:///{tmp / 'shop.db'}", f"sqlite:///{tmp / 'app.db'}"
        seed_database(get_engine(shop_url))
        add_agent(app_url, "bench@fernhill.example", "Bench Agent")
        token = "bench-" + str(time.time_ns())
        actions = start_action_server(
            tmp,
            shop_url,
            extra_env={
                "FERNHILL_APP_DATABASE_URL": app_url,
                "FERNHILL_HANDOFF_AVAILABILITY": "always",
            },
        )
        servers.append(actions)
        rasa = start_rasa_server(tmp, actions.url, token)
        servers.append(rasa)
        web = start_web_app(
            tmp,
            rasa.url,
            app_url,
            extra_env={"FERNHILL_RASA_TOKEN": token, "FERNHILL_DATABASE_URL": shop_url},
        )
        servers.append(web)

        agent = requests.Session()
        login = agent.post(
            f"{web.url}/api/console/login",
            json={"email": "bench@fernhill.example", "password": PASSWORD},
            timeout=30,
        )
        login.raise_for_status()
        agent.headers["X-CSRF-Token"] = login.json()["csrf_token"]
        stream = EventStream(agent, f"{web.url}/api/console/events")

        with sync_playwright() as driver:
            browser = driver.chromium.launch(
                executable_path=shutil.which("chromium"),
                args=["--headless", "--no-sandbox", "--disable-gpu"],
            )
            page = browser.new_page()
            page.goto(web.url)
            page.get_by_role("button", name="Open the chat").click()
            box = page.get_by_label("Type your message")
            box.fill("I want to talk to a human")
            box.press("Enter")
            page.locator("#fernhill-chat .fc-bot").filter(has_text="next in line").wait_for(
                timeout=60_000
            )
            deadline = time.monotonic() + 30
            while not (
                queue := agent.get(f"{web.url}/api/console/conversations", timeout=10).json()
            ):
                if time.monotonic() > deadline:
                    raise TimeoutError("the handoff never reached the console's queue")
                time.sleep(0.2)
            cid = queue[0]["id"]
            agent.post(
                f"{web.url}/api/console/conversations/{cid}/claim", timeout=30
            ).raise_for_status()

            to_widget, api_ms = [], []
            for number in range(args.replies):
                text = f"Reply number {number} from the team"
                page.evaluate(WATCH, text)
                start = time.time() * 1000
                agent.post(
                    f"{web.url}/api/console/conversations/{cid}/messages",
                    json={"text": text},
                    timeout=30,
                ).raise_for_status()
                api_ms.append(time.time() * 1000 - start)
                page.wait_for_function(SEEN, arg=text, timeout=10_000)
                to_widget.append(page.evaluate(SEEN, text) - start)
            to_console = []
            for number in range(args.messages):
                text = f"Shopper message {number}"
                box.fill(text)
                start = time.time() * 1000
                box.press("Enter")
                to_console.append(stream.wait_for(text) - start)
            browser.close()
        print(f"agent send -> widget shows:     {percentiles(to_widget)}")
        print(f"  of which the API call:        {percentiles(api_ms)}")
        print(f"shopper send -> console event:  {percentiles(to_console)}")
    finally:
        for server in reversed(servers):
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
