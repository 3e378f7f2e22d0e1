// Builds the console's DOM with textContent only: nothing a shopper wrote becomes markup.
export function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

export function ago(iso) {
  if (!iso) return "";
  const minutes = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60000));
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} d`;
}

const REASONS = {
  asked: "Asked for a person", negative_sentiment: "Upset shopper",
  repeated_fallback: "Bot did not understand", refund_over_limit: "Large refund",
};

export function listItem(c, selected, onpick) {
  const waiting = c.status === "open" && c.waiting_since ? `waiting ${ago(c.waiting_since)}` : ago(c.updated_at);
  return el("li", {}, [el("button", {
    type: "button", class: `item${selected ? " selected" : ""}`, "data-id": String(c.id),
    "aria-current": selected ? "true" : null, onclick: () => onpick(c.id),
  }, [
    el("span", { class: "row" }, [
      el("span", { class: `badge p${c.priority}`, text: c.priority_name }),
      el("strong", { text: REASONS[c.reason] || c.reason }),
      el("span", { class: "muted when", text: waiting }),
    ]),
    el("span", { class: "preview", text: c.preview || "(no message yet)" }),
    el("span", { class: "muted small", text: c.assignee ? `with ${c.assignee.name}` : (c.contact_email || c.session_id.slice(0, 12)) }),
  ])]);
}

function moodChip(score) {
  if (score === null || score === undefined) return null;
  const mood = score <= -0.05 ? "negative" : score >= 0.05 ? "positive" : "neutral";
  return el("span", { class: `chip mood-${mood}`, text: `${mood} ${score.toFixed(2)}` });
}

export function messageItem(m) {
  const who = { contact: "Shopper", bot: "Assistant", agent: m.agent || "Agent", system: "" }[m.sender];
  if (m.sender === "system") return el("li", { class: "activity", text: m.text });
  const meta = el("div", { class: "meta" }, [
    el("span", { class: "who", text: who }),
    el("time", { datetime: m.created_at, text: new Date(m.created_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) }),
    m.intent ? el("span", { class: "chip", text: `intent: ${m.intent}` }) : null,
    m.sender === "contact" ? moodChip(m.sentiment) : null,
  ]);
  const sources = (m.sources || []).length ? el("div", { class: "sources" }, [
    el("span", { class: "muted", text: "Sources: " }),
    ...m.sources.map((s) => (s.url && /^https?:\/\//.test(s.url)
      ? el("a", { href: s.url, target: "_blank", rel: "noopener noreferrer", text: s.title })
      : el("span", { text: s.title }))),
  ]) : null;
  return el("li", { class: `msg ${m.sender}`, "data-id": String(m.id) }, [meta, el("p", { class: "text", text: m.text }), sources]);
}
