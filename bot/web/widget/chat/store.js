// What the widget keeps in localStorage: the session id, the conversation as shown (with each
// shopper message's delivery state), who is answering, and whether the panel was open.
import { randomId } from "./dom.js";

const MAX_ENTRIES = 300;

/** A fresh conversation. */
export function emptyState() {
  return { sessionId: randomId(), history: [], agent: null, open: false, ended: false };
}

export class Store {
  /** @param {string} key localStorage key of this widget (one per Rasa server). */
  constructor(key) {
    this.key = key;
  }

  /** The saved state, or a fresh one when nothing (readable) is saved. */
  load() {
    try {
      const saved = JSON.parse(localStorage.getItem(this.key) || "null");
      if (saved && typeof saved.sessionId === "string" && Array.isArray(saved.history)) {
        return { ...emptyState(), ...saved };
      }
    } catch (_) {
      // Unreadable or blocked storage: start afresh rather than fail.
    }
    return emptyState();
  }

  /** Saves the state (the newest MAX_ENTRIES entries). Storage errors only cost persistence. */
  save(state) {
    const history = state.history.slice(-MAX_ENTRIES);
    try {
      localStorage.setItem(this.key, JSON.stringify({ ...state, history }));
    } catch (_) {
      // Private mode or quota: the chat still works for this page view.
    }
  }

  /** Calls `listener(state)` when another tab of the same site changes the conversation. */
  onChange(listener) {
    window.addEventListener("storage", (event) => {
      if (event.key === this.key) listener(this.load());
    });
  }
}
