// The widget's configuration: window.FernhillChat (set by the host page) with defaults filled in.

const STRINGS = {
  en: {
    launcher: "Chat with us",
    openChat: "Open the chat",
    closeChat: "Close the chat",
    endChat: "End chat",
    dialog: "Chat with the assistant",
    log: "Conversation",
    inputLabel: "Type your message",
    placeholder: "Type your message…",
    send: "Send",
    you: "You said:",
    assistant: "Assistant:",
    agentSays: (name) => `${name} said:`,
    typing: "The assistant is typing…",
    connecting: "Connecting to the assistant…",
    offline: "You're offline. Your messages will be sent when you're back online.",
    unreachable: "The assistant can't be reached right now. We'll keep trying.",
    unavailable: "The chat could not be loaded. Please try again later.",
    tryAgain: "Try again",
    queued: "Waiting to send…",
    sending: "Sending…",
    notSent: "Not sent",
    retry: "Retry",
    retryLabel: (text) => `Retry sending: ${text}`,
    suggested: "Suggested replies",
    agentJoined: (name) => `${name} from our team joined the chat.`,
    agentJoinedNoName: "Someone from our team joined the chat.",
    agentLeft: "Our team member left the chat. You're talking to the assistant again.",
    withAgent: (name) => `You're chatting with ${name}`,
    sources: "Sources",
    order: (id) => `Order ${id}`,
    placed: "Placed",
    total: "Total",
    items: "Items",
    carrier: "Carrier",
    tracking: "Tracking number",
    expected: "Expected delivery",
    history: "Tracking history",
    products: "Products",
    inStock: "In stock",
    lowStock: (n) => `Only ${n} left`,
    outOfStock: "Out of stock",
    view: "View",
    askAbout: "Ask about this",
    askAboutLabel: (name) => `Ask the assistant about ${name}`,
    askAboutText: (name) => `Tell me more about the ${name}`,
    status: { pending: "Payment pending", paid: "Paid", packed: "Packed", shipped: "Shipped",
      delivered: "Delivered", cancelled: "Cancelled", returned: "Returned", refunded: "Refunded" },
    rateTitle: "How did we do?",
    rateHelp: "Rate this conversation from 1 to 5 stars.",
    star: (n) => (n === 1 ? "1 star" : `${n} stars`),
    comment: "Anything you'd like to add? (optional)",
    submit: "Send rating",
    skip: "Skip",
    backToChat: "Back to chat",
    pickStars: "Please choose 1 to 5 stars.",
    thanks: "Thank you for your feedback!",
    rateFailed: "Your rating could not be saved. Please try again.",
    newChat: "Start a new chat",
    unread: (n) => (n === 1 ? "1 new message" : `${n} new messages`),
  },
};
STRINGS.de = {
  ...STRINGS.en,
  launcher: "Chatten Sie mit uns",
  openChat: "Chat öffnen",
  closeChat: "Chat schließen",
  endChat: "Chat beenden",
  inputLabel: "Ihre Nachricht",
  placeholder: "Ihre Nachricht…",
  send: "Senden",
  you: "Sie:",
  typing: "Der Assistent schreibt…",
  connecting: "Verbindung wird hergestellt…",
  offline: "Sie sind offline. Ihre Nachrichten werden gesendet, sobald Sie wieder online sind.",
  unreachable: "Der Assistent ist gerade nicht erreichbar. Wir versuchen es weiter.",
  tryAgain: "Erneut versuchen",
  queued: "Wartet auf Versand…",
  sending: "Wird gesendet…",
  notSent: "Nicht gesendet",
  retry: "Erneut senden",
  rateTitle: "Wie waren wir?",
  submit: "Bewertung senden",
  skip: "Überspringen",
  thanks: "Danke für Ihr Feedback!",
  newChat: "Neuen Chat beginnen",
};

function luminance(hex) {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex || "");
  if (!m) return null;
  const channels = [0, 2, 4].map((i) => parseInt(m[1].slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two #rrggbb colours (1 when one cannot be read). */
export function contrast(a, b) {
  const la = luminance(a);
  const lb = luminance(b);
  if (la === null || lb === null) return 1;
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** White or near-black, whichever reads better on `background`. */
export function textColourOn(background) {
  return contrast(background, "#ffffff") >= contrast(background, "#111111") ? "#ffffff" : "#111111";
}

/**
 * The product of the page the shopper is on: `window.FernhillChat.product` when the shop sets it,
 * else the first `data-fernhill-product="SKU"` attribute on the page (read at each message, so a
 * shop that changes pages without reloading is followed). Null when the page shows no product.
 * @param {Object} given window.FernhillChat
 * @returns {string|null}
 */
export function pageProduct(given) {
  const configured = given && typeof given.product === "string" ? given.product.trim() : "";
  if (configured) return configured.slice(0, 64);
  const marked = document.querySelector("[data-fernhill-product]");
  const sku = marked ? String(marked.getAttribute("data-fernhill-product") || "").trim() : "";
  return sku ? sku.slice(0, 64) : null;
}

/**
 * Fills in defaults.
 * @param {Object} raw window.FernhillChat
 * @param {string} scriptUrl where fernhill-chat.js was loaded from (the web app)
 */
export function readConfig(raw, scriptUrl) {
  const given = raw && typeof raw === "object" ? raw : {};
  const appOrigin = new URL(scriptUrl, location.href).origin;
  const language = String(given.language || document.documentElement.lang || "en").slice(0, 2).toLowerCase();
  const colors = { primary: "#2e5a36", ...(given.colors || given.colours || {}) };
  if (!/^#[0-9a-f]{6}$/i.test(colors.primary)) colors.primary = "#2e5a36";
  if (!colors.onPrimary || contrast(colors.primary, colors.onPrimary) < 4.5) {
    colors.onPrimary = textColourOn(colors.primary);
  }
  // Text in the brand colour on white (quick replies, links) only where it stays readable.
  colors.accentText = contrast(colors.primary, "#ffffff") >= 4.5 ? colors.primary : "#1d1d1b";
  const socketUrl = String(given.socketUrl || "http://127.0.0.1:5005").replace(/\/+$/, "");
  return {
    socketUrl,
    socketPath: given.socketPath || "/socket.io",
    apiUrl: String(given.apiUrl || appOrigin).replace(/\/+$/, ""),
    title: given.title || "Fernhill Goods",
    subtitle: given.subtitle || "",
    greeting: given.greeting || "",
    // Quick replies offered with the greeting: [{title, payload}] (payload e.g. "/track_order").
    suggestions: (Array.isArray(given.suggestions) ? given.suggestions : [])
      .filter((b) => b && typeof b.title === "string")
      .map((b) => ({ title: b.title, payload: typeof b.payload === "string" ? b.payload : b.title })),
    language,
    // Dates and prices are written for this locale (British English for "en": 24-hour clock).
    locale: given.locale || (language === "en" ? "en-GB" : language),
    position: given.position === "left" ? "left" : "right",
    colors,
    storageKey: given.storageKey || `fernhill-chat:${socketUrl}`,
    strings: STRINGS[language] || STRINGS.en,
    pageProduct: () => pageProduct(given),
  };
}
