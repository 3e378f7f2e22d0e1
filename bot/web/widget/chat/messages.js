// One conversation entry as DOM. Entries are appended to the log and never rebuilt (so screen
// readers announce each once); only a shopper message's delivery state changes in place.
import { readCard } from "../../shared/messages.js";
import { CARD_VIEWS, renderCard } from "./cards.js";
import { el, srOnly } from "./dom.js";
import { renderMarkdown } from "./markdown.js";

/**
 * @typedef {Object} Entry
 * @property {string} id
 * @property {"user"|"bot"|"card"|"notice"} role
 * @property {string} [text]
 * @property {string} [payload] what a quick reply sends instead of its title
 * @property {"queued"|"sending"|"sent"|"failed"} [state] delivery of a shopper message
 * @property {Array<{title: string, payload: string}>} [buttons]
 * @property {string} [agent] name of the team member who wrote a bot entry
 * @property {import("../../shared/messages.js").Card} [card] structured message
 */

/**
 * @typedef {Object} Received what one bot_uttered payload adds to the conversation
 * @property {Entry[]} entries
 * @property {string|null} [agent] the team member now chatting (null: the assistant again)
 * @property {boolean} [rating] ask the shopper for a rating
 */

/** How the widget takes the notices among the cards (the others are CARD_VIEWS' cards). */
const NOTICES = Object.freeze({
  agent_joined(card, { strings: s }, newId) {
    const name = typeof card.agent === "string" && card.agent.trim() ? card.agent.trim().slice(0, 60) : null;
    return { agent: name || "Team", entries: [{ id: newId(), role: "notice", text: name ? s.agentJoined(name) : s.agentJoinedNoName }] };
  },
  agent_left(_card, { strings: s }, newId) {
    return { agent: null, entries: [{ id: newId(), role: "notice", text: s.agentLeft }] };
  },
  rating_request() {
    return { entries: [], rating: true };
  },
});

/**
 * What a card adds to the conversation: a notice, a rating request, a card entry, or nothing
 * for a type this widget does not know.
 * @param {import("../../shared/messages.js").Card} card
 * @returns {Received}
 */
export function receiveCard(card, ctx, newId) {
  if (Object.hasOwn(NOTICES, card.type)) return NOTICES[card.type](card, ctx, newId);
  if (Object.hasOwn(CARD_VIEWS, card.type)) return { entries: [{ id: newId(), role: "card", card }] };
  return { entries: [] };
}

/** Fills the delivery line of a shopper message. */
export function renderDelivery(node, entry, ctx) {
  const { strings: s, retry } = ctx;
  const line = node.querySelector(".fc-delivery");
  line.replaceChildren();
  node.classList.toggle("fc-failed", entry.state === "failed");
  if (entry.state === "queued") line.append(s.queued);
  else if (entry.state === "sending") line.append(s.sending);
  else if (entry.state === "failed") {
    line.append(el("span", { class: "fc-error", text: `${s.notSent} — ` }), el("button", {
      type: "button", class: "fc-retry", "aria-label": s.retryLabel(entry.text),
      onclick: () => retry(entry.id), text: s.retry,
    }));
  }
}

/** The DOM node of one entry (null for entries this widget cannot show). */
export function renderEntry(entry, ctx) {
  const { strings: s } = ctx;
  if (entry.role === "user") {
    const node = el("div", { class: "fc-msg fc-user", "data-entry": entry.id }, [
      el("div", { class: "fc-bubble" }, [srOnly(s.you), el("span", { class: "fc-text", text: entry.text })]),
      el("div", { class: "fc-delivery" }),
    ]);
    renderDelivery(node, entry, ctx);
    return node;
  }
  if (entry.role === "bot") {
    const who = entry.agent ? s.agentSays(entry.agent) : s.assistant;
    return el("div", { class: entry.agent ? "fc-msg fc-bot fc-agent" : "fc-msg fc-bot", "data-entry": entry.id }, [
      entry.agent ? el("div", { class: "fc-sender", "aria-hidden": "true", text: entry.agent }) : null,
      el("div", { class: "fc-bubble" }, [srOnly(who), el("div", { class: "fc-text" }, [renderMarkdown(entry.text)])]),
    ]);
  }
  if (entry.role === "card") {
    const card = renderCard(entry.card, ctx);
    return card ? el("div", { class: `fc-msg fc-bot fc-cardmsg fc-${entry.card.type}`, "data-entry": entry.id }, [card]) : null;
  }
  if (entry.role === "notice") {
    return el("div", { class: "fc-notice", "data-entry": entry.id }, [el("span", { text: entry.text })]);
  }
  return null;
}

/** Quick-reply buttons for the latest assistant message (empty when it has none). */
export function renderQuickReplies(container, buttons, ctx) {
  container.replaceChildren();
  container.hidden = !buttons.length;
  for (const button of buttons) {
    container.appendChild(el("button", {
      type: "button", class: "fc-chip",
      onclick: () => ctx.send(String(button.title || button.payload || ""), String(button.payload || button.title || "")),
      text: String(button.title || button.payload || ""),
    }));
  }
}

/**
 * Turns one bot_uttered payload into entries.
 * Text: {text, quick_replies|buttons, metadata}; a card (see ../../shared/messages.js) otherwise.
 * @returns {Received}
 */
export function entriesFrom(payload, ctx, newId) {
  const { agent } = ctx;
  const card = readCard(payload);
  if (card) return receiveCard(card, ctx, newId);
  if (typeof payload.type === "string") return { entries: [] }; // a card type this widget does not know
  const entries = [];
  const raw = payload.quick_replies || payload.buttons || [];
  const buttons = (Array.isArray(raw) ? raw : [])
    .filter((b) => b && (b.title || b.payload))
    .map((b) => ({ title: String(b.title || b.payload), payload: String(b.payload || b.title) }));
  if (typeof payload.text === "string" && payload.text.trim() || buttons.length) {
    const metaAgent = payload.metadata && typeof payload.metadata.agent === "string" ? payload.metadata.agent : null;
    entries.push({ id: newId(), role: "bot", text: String(payload.text || ""), buttons, agent: metaAgent || agent || undefined });
  }
  if (payload.attachment && payload.attachment.payload && payload.attachment.payload.src) {
    entries.push({ id: newId(), role: "bot", text: String(payload.attachment.payload.src) });
  }
  return { entries };
}
