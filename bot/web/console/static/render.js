// Builds the console's DOM with textContent only: nothing a shopper wrote becomes markup.
import { readCard } from "../../shared/messages.js";

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

/** The messaging app (or the web chat) a conversation comes from, as agents call it. */
const APPS = Object.freeze({
  whatsapp: "WhatsApp", messenger: "Messenger", instagram: "Instagram", telegram: "Telegram",
  sms: "SMS", twilio: "SMS", socketio: "Web chat", rest: "Web chat",
});

export function appName(c) {
  const key = c.app || c.channel;
  return key ? APPS[key] || key : "Web chat";
}

/** The shopper as agents see them: the app's display name, else the e-mail, else the id. */
export function contactName(c) {
  return c.display_name || c.contact_email || `Shopper ${c.session_id.slice(0, 10)}`;
}

export function appBadge(c) {
  return el("span", { class: "app-badge", "data-app": c.app || c.channel || "web", text: appName(c) });
}

/** What the shopper's app allows now: nothing when it has no window, else when it closes. */
export function windowNotice(c) {
  const w = c.reply_window;
  if (!w || (w.open && !w.closes_at)) return null;
  if (!w.open) return { closed: true, text: w.reason };
  const hours = Math.max(0, Math.round((new Date(w.closes_at).getTime() - Date.now()) / 3600000));
  const tag = w.message_tag ? ` Replies are sent with the ${w.message_tag} tag.` : "";
  return { closed: false, text: `Reply window open for about ${hours} h more.${tag}` };
}

export function listItem(c, selected, onpick) {
  const waiting = c.status === "open" && c.waiting_since ? `waiting ${ago(c.waiting_since)}` : ago(c.updated_at);
  return el("li", {}, [el("button", {
    type: "button", class: `item${selected ? " selected" : ""}`, "data-id": String(c.id),
    "aria-current": selected ? "true" : null, onclick: () => onpick(c.id),
  }, [
    el("span", { class: "row" }, [
      el("span", { class: `badge p${c.priority}`, text: c.priority_name }),
      appBadge(c),
      el("strong", { text: REASONS[c.reason] || c.reason }),
      el("span", { class: "muted when", text: waiting }),
    ]),
    el("span", { class: "preview", text: c.preview || "(no message yet)" }),
    el("span", { class: "muted small contact", text: c.assignee ? `${contactName(c)} · with ${c.assignee.name}` : contactName(c) }),
  ])]);
}

function sourceLink(source) {
  return source.url && /^https?:\/\//.test(source.url)
    ? el("a", { href: source.url, target: "_blank", rel: "noopener noreferrer", text: source.title })
    : el("span", { text: source.title });
}

const money = (amount, currency) => `${currency === "EUR" ? "€" : `${currency} `}${amount}`;

/** How the console shows each card the shopper was sent, by type. */
const CARD_VIEWS = Object.freeze({
  products: (card) => el("ul", { class: "card-products" }, card.products.map((p) => el("li", {
    text: `${p.name} (${p.sku}) · ${money(p.price, p.currency)} · ${p.stock > 0 ? `${p.stock} in stock` : "out of stock"}`,
  }))),
  sources: (card) => el("div", { class: "sources" }, [
    el("span", { class: "muted", text: "Sources: " }),
    ...card.sources.map((s) => sourceLink({ title: s.title || s.id, url: s.url })),
  ]),
  order_status: (card) => el("p", {
    text: `Order ${card.order_id} · ${card.status} · ${money(card.total, card.currency)}`
      + (card.carrier ? ` · ${card.carrier} ${card.tracking_number || ""}`.trimEnd() : ""),
  }),
  agent_joined: (card) => el("p", { text: `${card.agent} joined the chat` }),
  agent_left: () => el("p", { text: "The agent left; the assistant answers again" }),
  rating_request: () => el("p", { text: "The shopper was asked for a rating" }),
});

/**
 * A card the shopper was sent, as the console shows it under a transcript line (null for a type
 * the console does not know).
 * @param {import("../../shared/messages.js").Card} card
 */
export function cardItem(card) {
  const known = readCard(card);
  if (!known || !Object.hasOwn(CARD_VIEWS, known.type)) return null;
  return el("div", { class: `card-view card-${known.type}` }, [CARD_VIEWS[known.type](known)]);
}

function moodChip(score) {
  if (score === null || score === undefined) return null;
  const mood = score <= -0.05 ? "negative" : score >= 0.05 ? "positive" : "neutral";
  return el("span", { class: `chip mood-${mood}`, text: `${mood} ${score.toFixed(2)}` });
}

/**
 * One line of the transcript.
 * @param {import("../../shared/messages.js").StoredMessage} m
 */
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
    el("span", { class: "muted", text: "Sources: " }), ...m.sources.map(sourceLink),
  ]) : null;
  const card = m.card ? cardItem(m.card) : null;
  return el("li", { class: `msg ${m.sender}`, "data-id": String(m.id) }, [meta, el("p", { class: "text", text: m.text }), sources, card]);
}
