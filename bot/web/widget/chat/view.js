// The widget's frame: launcher button, the chat panel (a dialog), connection banner, message
// log, typing indicator, quick replies and the composer. Keyboard: Enter sends (Shift+Enter adds
// a line), Escape closes, focus goes to the input on open and back to the launcher on close.
import { el, srOnly } from "./dom.js";
import { renderDelivery, renderEntry, renderQuickReplies } from "./messages.js";

const ICON_CHAT = "M4 5h16a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H9l-4 3v-3H4a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1z";
const ICON_SEND = "M3 20l18-8L3 4v6l12 2-12 2z";

function icon(path) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const shape = document.createElementNS("http://www.w3.org/2000/svg", "path");
  shape.setAttribute("d", path);
  svg.appendChild(shape);
  return svg;
}

export class View {
  /**
   * @param {Object} config see config.js
   * @param {Object} ctx rendering context: strings, language, apiUrl, send(text, payload), retry(id), ask(text)
   * @param {Object} handlers onOpenChange(open), onRetryConnection(), onEnd()
   */
  constructor(config, ctx, handlers) {
    this.config = config;
    this.ctx = ctx;
    this.handlers = handlers;
    this.nodes = new Map();
  }

  /** Builds the widget inside a shadow root on `host`; `cssUrl` is its stylesheet. */
  mount(host, cssUrl) {
    const s = this.config.strings;
    const root = host.attachShadow({ mode: "open" });
    this.launcher = el("button", {
      type: "button", class: "fc-launcher", "aria-haspopup": "dialog", "aria-expanded": "false",
      "aria-controls": "fc-panel", "aria-label": s.openChat, onclick: () => this.toggle(),
    }, [icon(ICON_CHAT), this.launcherLabel = el("span", { class: "fc-launcher-label", "aria-hidden": "true", text: s.launcher }),
      this.unread = el("span", { class: "fc-unread", "aria-hidden": "true", hidden: true })]);
    this.subtitle = el("p", { class: "fc-subtitle", text: this.config.subtitle });
    this.banner = el("div", { class: "fc-banner", role: "status" });
    this.log = el("div", { class: "fc-log", role: "log", "aria-live": "polite", "aria-label": s.log, tabindex: "0" });
    this.typing = el("div", { class: "fc-typing", hidden: true }, [
      el("span", { class: "fc-dots", "aria-hidden": "true" }, [el("i"), el("i"), el("i")]), srOnly(s.typing)]);
    this.typingStatus = el("div", { class: "fc-sr", role: "status" });
    this.quick = el("div", { class: "fc-quick", role: "group", "aria-label": s.suggested, hidden: true });
    this.input = el("textarea", {
      id: "fc-input", rows: "1", maxlength: "2000", placeholder: s.placeholder, autocomplete: "off",
      onkeydown: (event) => this.onInputKey(event),
    });
    this.composer = el("form", { class: "fc-composer", onsubmit: (event) => this.onSubmit(event) }, [
      el("label", { for: "fc-input", class: "fc-sr", text: s.inputLabel }), this.input,
      el("button", { type: "submit", class: "fc-send", "aria-label": s.send }, [icon(ICON_SEND)]),
    ]);
    this.ratingArea = el("div", { class: "fc-rating-area", hidden: true });
    this.endButton = el("button", { type: "button", class: "fc-head-button", onclick: () => this.handlers.onEnd(), text: s.endChat });
    this.panel = el("section", {
      id: "fc-panel", class: "fc-panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "fc-title",
      hidden: true, onkeydown: (event) => { if (event.key === "Escape") { event.stopPropagation(); this.close(); } },
    }, [
      el("header", { class: "fc-head" }, [
        el("div", { class: "fc-head-text" }, [el("h2", { id: "fc-title", text: this.config.title }), this.subtitle]),
        this.endButton,
        el("button", { type: "button", class: "fc-head-button fc-close", "aria-label": s.closeChat, onclick: () => this.close(), text: "×" }),
      ]),
      this.banner, this.log, this.typing, this.typingStatus, this.quick, this.composer, this.ratingArea,
    ]);
    const { primary, onPrimary, accentText } = this.config.colors;
    this.frame = el("div", {
      class: `fc-root fc-${this.config.position}`, lang: this.config.language,
      style: `--fc-primary:${primary};--fc-on-primary:${onPrimary};--fc-accent-text:${accentText}`,
    }, [this.launcher, this.panel]);
    const sheet = el("link", { rel: "stylesheet", href: cssUrl });
    this.frame.style.visibility = "hidden"; // until the stylesheet is in
    sheet.addEventListener("load", () => { this.frame.style.visibility = ""; });
    sheet.addEventListener("error", () => { this.frame.style.visibility = ""; });
    root.append(sheet, this.frame);
    this.setConnection("connecting");
  }

  get isOpen() {
    return !this.panel.hidden;
  }

  toggle() {
    if (this.isOpen) this.close();
    else this.open();
  }

  /** Opens the panel; `focus: false` when restoring after a page load. */
  open({ focus = true } = {}) {
    this.panel.hidden = false;
    this.frame.classList.add("fc-open");
    this.launcher.setAttribute("aria-expanded", "true");
    this.launcher.setAttribute("aria-label", this.config.strings.closeChat);
    this.launcherLabel.textContent = this.config.strings.closeChat;
    this.setUnread(0);
    this.scrollToEnd();
    if (focus) (this.ratingArea.hidden ? this.input : this.ratingArea.querySelector("input, button") || this.input).focus();
    this.handlers.onOpenChange(true);
  }

  close() {
    if (!this.isOpen) return;
    this.panel.hidden = true;
    this.frame.classList.remove("fc-open");
    this.launcher.setAttribute("aria-expanded", "false");
    this.launcher.setAttribute("aria-label", this.config.strings.openChat);
    this.launcherLabel.textContent = this.config.strings.launcher;
    this.launcher.focus();
    this.handlers.onOpenChange(false);
  }

  onInputKey(event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.composer.requestSubmit();
    }
  }

  onSubmit(event) {
    event.preventDefault();
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = "";
    this.ctx.send(text, text);
    this.input.focus();
  }

  /** Shows the connection state: nothing when online, a message (and "Try again") otherwise. */
  setConnection(state) {
    const s = this.config.strings;
    const text = { connecting: s.connecting, offline: s.offline, unreachable: s.unreachable, unavailable: s.unavailable }[state];
    this.banner.replaceChildren();
    this.banner.className = `fc-banner fc-${state}`;
    this.banner.hidden = !text;
    this.panel.dataset.connection = state;
    if (!text) return;
    this.banner.append(el("span", { text }));
    if (state === "unreachable") {
      this.banner.append(el("button", { type: "button", class: "fc-banner-button", onclick: () => this.handlers.onRetryConnection(), text: s.tryAgain }));
    }
  }

  /** Replaces the whole log (a page load, another tab's change, a new chat). */
  resetLog(entries) {
    this.log.replaceChildren();
    this.nodes.clear();
    for (const entry of entries) this.appendEntry(entry, { scroll: false });
    this.scrollToEnd();
  }

  appendEntry(entry, { scroll = true } = {}) {
    const node = renderEntry(entry, this.ctx);
    if (!node) return;
    this.nodes.set(entry.id, node);
    this.log.appendChild(node);
    if (scroll) this.scrollToEnd();
  }

  updateDelivery(entry) {
    const node = this.nodes.get(entry.id);
    if (node) renderDelivery(node, entry, this.ctx);
  }

  setQuickReplies(buttons) {
    renderQuickReplies(this.quick, buttons, this.ctx);
  }

  setTyping(on) {
    if (this.typing.hidden === !on) return;
    this.typing.hidden = !on;
    this.typingStatus.textContent = on ? this.config.strings.typing : "";
    if (on) this.scrollToEnd();
  }

  setAgent(name) {
    this.subtitle.textContent = name ? this.config.strings.withAgent(name) : this.config.subtitle;
    this.frame.classList.toggle("fc-with-agent", Boolean(name));
  }

  setUnread(count) {
    const s = this.config.strings;
    this.unread.hidden = !count;
    this.unread.textContent = count ? String(count) : ""; // the launcher's label says it in words
    if (!this.isOpen) this.launcher.setAttribute("aria-label", count ? `${s.openChat} (${s.unread(count)})` : s.openChat);
  }

  /** Shows the rating area instead of the composer (true) or the composer again (false). */
  showRating(show) {
    this.ratingArea.hidden = !show;
    this.composer.hidden = show;
    this.quick.hidden = show || !this.quick.childElementCount;
    this.endButton.hidden = show;
  }

  scrollToEnd() {
    requestAnimationFrame(() => { this.log.scrollTop = this.log.scrollHeight; });
  }
}
