// Structured messages from the actions: order status, product list, knowledge sources (their
// shapes: ../../shared/messages.js).
import { el, link, safeUrl } from "./dom.js";

const ORDER_STEPS = ["pending", "paid", "packed", "shipped", "delivered"];

function formatMoney(amount, currency, language) {
  const value = Number(amount);
  if (!Number.isFinite(value)) return String(amount ?? "");
  try {
    return new Intl.NumberFormat(language, { style: "currency", currency: currency || "EUR" }).format(value);
  } catch (_) {
    return `${currency || ""} ${value.toFixed(2)}`.trim();
  }
}

function formatDate(iso, language, withTime) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const options = { day: "numeric", month: "short", year: "numeric" };
  if (withTime) Object.assign(options, { hour: "2-digit", minute: "2-digit" });
  return new Intl.DateTimeFormat(language, options).format(date);
}

function fact(label, value) {
  if (value === null || value === undefined || value === "") return null;
  return el("div", { class: "fc-fact" }, [el("dt", { text: label }), el("dd", { text: String(value) })]);
}

/**
 * The order-status card: status and progress, items, total, carrier, tracking events.
 * @param {import("../../shared/messages.js").OrderStatusCard} card
 */
export function orderCard(card, ctx) {
  const { strings: s, locale: language } = ctx;
  const status = String(card.status || "");
  const step = ORDER_STEPS.indexOf(status);
  const progress = step < 0 ? null : el("ol", { class: "fc-progress", "aria-label": s.status[status] || status },
    ORDER_STEPS.map((name, i) => el("li", {
      class: i <= step ? "fc-done" : "", "aria-current": i === step ? "step" : null, text: s.status[name],
    })));
  const items = Array.isArray(card.items) ? card.items : [];
  const events = Array.isArray(card.events) ? card.events : [];
  return el("article", { class: "fc-card fc-order", "aria-label": s.order(card.order_id) }, [
    el("header", { class: "fc-card-head" }, [
      el("h3", { text: s.order(card.order_id) }),
      el("span", { class: `fc-badge fc-status-${status.replace(/[^a-z_]/g, "")}`, text: s.status[status] || status }),
    ]),
    progress,
    el("dl", { class: "fc-facts" }, [
      fact(s.placed, formatDate(card.placed_at, language)),
      fact(s.total, formatMoney(card.total, card.currency, language)),
      fact(s.carrier, card.carrier),
      fact(s.tracking, card.tracking_number),
      fact(s.expected, card.estimated_delivery ? formatDate(card.estimated_delivery, language) : null),
    ]),
    items.length ? el("h4", { text: s.items }) : null,
    items.length ? el("ul", { class: "fc-items" }, items.map((item) => el("li", {}, [
      el("span", { class: "fc-qty", text: `${Number(item.qty) || 1} ×` }), ` ${item.name || item.sku || ""}`,
    ]))) : null,
    events.length ? el("h4", { text: s.history }) : null,
    events.length ? el("ol", { class: "fc-events" }, events.map((event) => el("li", {}, [
      el("time", { datetime: event.at, text: formatDate(event.at, language, true) }),
      el("span", { text: [event.description, event.location].filter(Boolean).join(" — ") }),
    ]))) : null,
  ]);
}

function stockText(stock, s) {
  const n = Number(stock);
  if (!Number.isFinite(n)) return "";
  if (n <= 0) return s.outOfStock;
  return n <= 5 ? s.lowStock(n) : s.inStock;
}

/**
 * A row of product cards, each with picture, name, price, stock, a link and "ask about this".
 * @param {import("../../shared/messages.js").ProductsCard} card
 */
export function productsCard(card, ctx) {
  const { strings: s, locale: language, apiUrl, ask } = ctx;
  const products = Array.isArray(card.products) ? card.products : [];
  return el("section", { class: "fc-card fc-products", "aria-label": s.products },
    [el("ul", {}, products.map((p) => {
      const image = safeUrl(p.image, `${apiUrl}/`);
      const name = String(p.name || p.sku || "");
      return el("li", { class: "fc-product" }, [
        image ? el("img", { src: image, alt: "", loading: "lazy", width: "160", height: "120" }) : el("div", { class: "fc-noimg" }),
        el("h3", { text: name }),
        el("p", { class: "fc-price-row" }, [
          el("span", { class: "fc-price", text: formatMoney(p.price, p.currency, language) }),
          el("span", { class: Number(p.stock) > 0 ? "fc-stock" : "fc-stock fc-out", text: stockText(p.stock, s) }),
        ]),
        el("div", { class: "fc-product-actions" }, [
          safeUrl(p.url, `${apiUrl}/`) ? link(p.url, s.view, `${apiUrl}/`, "fc-link-button") : null,
          el("button", {
            type: "button", class: "fc-chip", "aria-label": s.askAboutLabel(name),
            onclick: () => ask(s.askAboutText(name), { sku: String(p.sku || name) }), text: s.askAbout,
          }),
        ]),
      ]);
    }))]);
}

/**
 * The sources a knowledge answer was built from, as links under the answer.
 * @param {import("../../shared/messages.js").SourcesCard} card
 */
export function sourcesCard(card, ctx) {
  const { strings: s, apiUrl } = ctx;
  const sources = Array.isArray(card.sources) ? card.sources : [];
  return el("aside", { class: "fc-sources", "aria-label": s.sources }, [
    el("span", { class: "fc-sources-label", text: `${s.sources}:` }),
    el("ol", {}, sources.map((source) => el("li", {}, [
      link(source.url, String(source.title || source.id || source.url || ""), `${apiUrl}/`),
    ]))),
  ]);
}

/** The cards shown in the conversation log, by type (notices are in messages.js). */
export const CARD_VIEWS = Object.freeze({
  order_status: orderCard,
  products: productsCard,
  sources: sourcesCard,
});

/**
 * The card for a structured message, or null for types this widget does not show as a card.
 * @param {import("../../shared/messages.js").Card} card
 */
export function renderCard(card, ctx) {
  const view = card && Object.hasOwn(CARD_VIEWS, card.type) ? CARD_VIEWS[card.type] : null;
  return view ? view(card, ctx) : null;
}

