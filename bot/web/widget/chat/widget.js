// The widget's controller: keeps the conversation (localStorage), sends the shopper's messages
// through a queue with client-side ids (each acknowledged by Rasa, re-sent with the same id
// after a drop, so Rasa can tell a repeat), and shows what the assistant and agents send.
import { readConfig } from "./config.js";
import { Connection } from "./connection.js";
import { randomId } from "./dom.js";
import { entriesFrom } from "./messages.js";
import { RatingForm } from "./rating.js";
import { Store, emptyState } from "./store.js";
import { View } from "./view.js";

/** Quick replies of the latest assistant text, unless the shopper wrote since. */
function currentQuickReplies(history) {
  for (let i = history.length - 1; i >= 0; i--) {
    const entry = history[i];
    if (entry.role === "user") return [];
    if (entry.role === "bot") return entry.buttons || [];
  }
  return [];
}

/**
 * Starts the widget on this page.
 * @param {Object} rawConfig window.FernhillChat
 * @param {string} scriptUrl URL of fernhill-chat.js (the web app serving the widget)
 * @param {HTMLElement} host element the widget lives in (gets a shadow root)
 */
export function start(rawConfig, scriptUrl, host) {
  const config = readConfig(rawConfig, scriptUrl);
  const failAfterMs = 1000 * (Number(rawConfig && rawConfig.sendTimeout) || 12);
  const store = new Store(config.storageKey);
  const tab = randomId();
  let state = store.load();
  let unread = 0;
  let pumping = false;

  const save = () => store.save(state);
  const userEntries = () => state.history.filter((e) => e.role === "user");

  const ctx = {
    strings: config.strings, language: config.language, locale: config.locale, apiUrl: config.apiUrl,
    sessionId: () => state.sessionId,
    conversationKey: () => state.key || "",
    get agent() { return state.agent; },
    send: (text, payload) => send(text, payload),
    retry: (id) => retry(id),
    ask: (text, click) => send(text, text, click),
  };
  const view = new View(config, ctx, {
    onOpenChange(open) {
      state.open = open;
      if (open) unread = 0;
      save();
    },
    onRetryConnection: () => connection.retryNow(),
    onEnd: () => startRating(),
  });
  let rating = null; // built once the view is mounted
  const connection = new Connection({
    socketUrl: config.socketUrl, socketPath: config.socketPath, language: config.language,
    sessionId: () => state.sessionId, pageProduct: config.pageProduct,
    onState(connectionState) { view.setConnection(connectionState); refreshTyping(); },
    onReady: () => pump(),
    onLost() {
      for (const entry of userEntries()) if (entry.state === "sending") setDelivery(entry, "queued");
      refreshTyping();
    },
    onBotMessage: (payload) => receive(payload),
  });

  function setDelivery(entry, deliveryState) {
    entry.state = deliveryState;
    if (deliveryState === "queued") entry.queuedAt = Date.now();
    view.updateDelivery(entry);
    save();
  }

  function refreshTyping() {
    view.setTyping(connection.ready && userEntries().some((e) => e.state === "sending"));
  }

  function send(text, payload, click) {
    const entry = { id: randomId(), role: "user", text, state: "queued", queuedAt: Date.now(), owner: tab };
    if (click) entry.click = click; // a recommended product asked about: counted by the insights
    if (payload && payload !== text) entry.payload = payload;
    state.history.push(entry);
    save();
    view.appendEntry(entry);
    view.setQuickReplies([]);
    if (!view.isOpen) view.open();
    pump();
  }

  function retry(id) {
    const entry = userEntries().find((e) => e.id === id);
    if (!entry || entry.state !== "failed") return;
    entry.owner = tab;
    setDelivery(entry, "queued");
    if (connection.ready) pump();
    else connection.retryNow();
  }

  /** Sends queued messages one at a time, in order, while the session is confirmed. */
  async function pump() {
    if (pumping) return;
    pumping = true;
    try {
      for (;;) {
        const entry = userEntries().find((e) => (e.state === "queued" || e.state === "sending") && e.owner === tab);
        if (!entry || !connection.ready) break;
        setDelivery(entry, "sending");
        refreshTyping();
        const outcome = await connection.send(entry);
        if (entry.state !== "sending") continue; // changed meanwhile (new chat, another tab)
        if (outcome === "ack") setDelivery(entry, "sent");
        else if (outcome === "timeout") setDelivery(entry, "failed");
        else {
          setDelivery(entry, "queued");
          break;
        }
      }
    } finally {
      pumping = false;
      refreshTyping();
    }
  }

  // Messages that cannot go out for a while (the assistant is unreachable although the browser
  // is online) turn into "not sent — retry"; while the browser is offline they wait.
  setInterval(() => {
    const now = Date.now();
    for (const entry of userEntries()) {
      if (entry.state !== "queued" || entry.owner !== tab) continue;
      if (navigator.onLine === false || connection.ready) entry.queuedAt = now;
      else if (now - (entry.queuedAt || now) > failAfterMs) setDelivery(entry, "failed");
    }
  }, 1000);

  function receive(payload) {
    const result = entriesFrom(payload, ctx, randomId);
    if (result.agent !== undefined) {
      state.agent = result.agent;
      view.setAgent(result.agent);
    }
    for (const entry of result.entries) {
      state.history.push(entry);
      view.appendEntry(entry);
    }
    if (result.entries.length) view.setQuickReplies(currentQuickReplies(state.history));
    if (!view.isOpen && result.entries.length) view.setUnread((unread += result.entries.length));
    save();
    if (result.rating) startRating();
  }

  function startRating() {
    if (!view.isOpen) view.open({ focus: false });
    view.showRating(true);
    rating.show();
  }

  function greet() {
    if (!state.history.length && config.greeting) {
      state.history.push({ id: randomId(), role: "bot", text: config.greeting, buttons: config.suggestions });
    }
  }

  function showState() {
    view.resetLog(state.history);
    view.setAgent(state.agent);
    view.setQuickReplies(currentQuickReplies(state.history));
  }

  /** Starts the conversation at the web app, before anything is sent: a fresh id and the key
   * only this browser holds (the rating needs it). Without it the chat works, unrated. */
  async function claimConversation() {
    if (state.key || userEntries().some((e) => e.state !== "queued")) return;
    try {
      const response = await fetch(`${config.apiUrl}/api/conversations`, { method: "POST" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const started = await response.json();
      if (state.key || userEntries().some((e) => e.state !== "queued")) return;
      Object.assign(state, { sessionId: started.session_id, key: started.key });
      save();
    } catch (error) {
      console.warn("Fernhill chat: the conversation has no key, so it cannot be rated", error);
    }
  }

  async function newChat() {
    state = { ...emptyState(), open: true };
    greet();
    save();
    showState();
    view.showRating(false);
    view.input.focus();
    await claimConversation();
    connection.changeSession();
  }

  view.mount(host, new URL("fernhill-chat.css", scriptUrl).href);
  rating = new RatingForm(view.ratingArea, ctx, {
    onBack() { view.showRating(false); view.input.focus(); },
    onNewChat: () => newChat(),
  });
  // Messages this page left unsure (queued or sent without an answer) are now this tab's to send.
  for (const entry of userEntries()) {
    if (entry.state === "queued" || entry.state === "sending") Object.assign(entry, { state: "queued", owner: tab, queuedAt: Date.now() });
  }
  greet();
  save();
  showState();
  if (state.open) view.open({ focus: false });
  store.onChange((changed) => {
    const switched = changed.sessionId !== state.sessionId;
    state = { ...changed, open: view.isOpen };
    showState();
    if (switched) connection.changeSession();
  });
  claimConversation().finally(() => connection.start());

  document.addEventListener("click", (event) => {
    const asker = event.target instanceof Element ? event.target.closest("[data-fernhill-ask]") : null;
    if (asker) send(asker.getAttribute("data-fernhill-ask"), asker.getAttribute("data-fernhill-ask"));
  });
  return {
    open: () => view.open(),
    close: () => view.close(),
    send: (text) => send(String(text), String(text)),
    sessionId: () => state.sessionId,
  };
}
