// The end-of-conversation rating: 1–5 stars (a radio group, so arrow keys work) and an optional
// comment, stored by the web app with the conversation.
import { el } from "./dom.js";

const MAX_COMMENT = 2000;

export class RatingForm {
  /**
   * @param {HTMLElement} area where the form goes
   * @param {Object} ctx strings, apiUrl, sessionId()
   * @param {Object} handlers onBack() back to the chat, onNewChat() start a new conversation
   */
  constructor(area, ctx, handlers) {
    this.area = area;
    this.ctx = ctx;
    this.handlers = handlers;
  }

  show() {
    const s = this.ctx.strings;
    this.error = el("p", { class: "fc-error", role: "alert" });
    const stars = [1, 2, 3, 4, 5].map((n) => {
      const input = el("input", { type: "radio", name: "fc-stars", id: `fc-star-${n}`, value: String(n), class: "fc-star-input" });
      input.addEventListener("change", () => this.paint(n));
      return [input, el("label", { for: `fc-star-${n}`, class: "fc-star", title: s.star(n) }, [
        el("span", { "aria-hidden": "true", text: "★" }), el("span", { class: "fc-sr", text: s.star(n) }),
      ])];
    }).flat();
    this.starInputs = stars.filter((node) => node.tagName === "INPUT");
    this.starLabels = stars.filter((node) => node.tagName === "LABEL");
    this.comment = el("textarea", { id: "fc-rating-comment", rows: "3", maxlength: String(MAX_COMMENT) });
    this.submitButton = el("button", { type: "submit", class: "fc-primary-button", text: s.submit });
    const form = el("form", { class: "fc-rating", onsubmit: (event) => this.submit(event) }, [
      el("fieldset", {}, [
        el("legend", { text: s.rateTitle }),
        el("p", { class: "fc-help", id: "fc-rating-help", text: s.rateHelp }),
        el("div", { class: "fc-stars", role: "radiogroup", "aria-describedby": "fc-rating-help" }, stars),
      ]),
      el("label", { for: "fc-rating-comment", text: s.comment }), this.comment, this.error,
      el("div", { class: "fc-rating-actions" }, [
        this.submitButton,
        el("button", { type: "button", class: "fc-secondary-button", onclick: () => this.handlers.onBack(), text: s.backToChat }),
      ]),
    ]);
    this.area.replaceChildren(form);
    this.starInputs[0].focus();
  }

  paint(stars) {
    this.starLabels.forEach((label, i) => label.classList.toggle("fc-lit", i < stars));
  }

  async submit(event) {
    event.preventDefault();
    const s = this.ctx.strings;
    const chosen = this.starInputs.find((input) => input.checked);
    if (!chosen) {
      this.error.textContent = s.pickStars;
      this.starInputs[0].focus();
      return;
    }
    this.error.textContent = "";
    this.submitButton.disabled = true;
    const url = `${this.ctx.apiUrl}/api/conversations/${encodeURIComponent(this.ctx.sessionId())}/rating`;
    const comment = this.comment.value.trim();
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Conversation-Key": (this.ctx.conversationKey && this.ctx.conversationKey()) || "" },
        body: JSON.stringify({ stars: Number(chosen.value), comment: comment || null }),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      this.thanks();
    } catch (error) {
      console.warn("Fernhill chat: rating not saved", error);
      this.error.textContent = s.rateFailed;
      this.submitButton.disabled = false;
    }
  }

  thanks() {
    const s = this.ctx.strings;
    const newChat = el("button", { type: "button", class: "fc-primary-button", onclick: () => this.handlers.onNewChat(), text: s.newChat });
    this.area.replaceChildren(el("div", { class: "fc-thanks" }, [
      el("p", { role: "status", text: s.thanks }),
      el("div", { class: "fc-rating-actions" }, [
        newChat,
        el("button", { type: "button", class: "fc-secondary-button", onclick: () => this.handlers.onBack(), text: s.backToChat }),
      ]),
    ]));
    newChat.focus();
  }
}
