// Minimal chat over the web app's /api/chat relay. Text is always inserted as text, never HTML.
(() => {
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("message");
  const status = document.getElementById("status");
  let sender = localStorage.getItem("fernhill-sender");
  if (!sender) {
    sender = "web-" + crypto.randomUUID();
    localStorage.setItem("fernhill-sender", sender);
  }

  function add(kind, text, buttons) {
    const item = document.createElement("li");
    item.className = kind;
    item.textContent = text;
    for (const b of buttons || []) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = b.title;
      button.addEventListener("click", () => send(b.payload, b.title));
      item.appendChild(document.createElement("br"));
      item.appendChild(button);
    }
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  async function send(message, shown) {
    add("user", shown ?? message);
    try {
      const response = await fetch("/api/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender, message }),
      });
      if (!response.ok) {
        const body = await response.json().catch(() => ({}));
        throw new Error(body.detail || `error ${response.status}`);
      }
      status.textContent = "";
      for (const m of await response.json()) add("bot", m.text || "", m.buttons);
    } catch (error) {
      add("error", `Sorry, the message could not be delivered (${error.message}). Please try again.`);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });

  fetch("/health").then((r) => r.json()).then((h) => {
    status.textContent = h.rasa === "up" ? "" : "The assistant is offline at the moment. Please try again shortly.";
  });
})();
