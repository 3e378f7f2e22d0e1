// Small DOM helpers. Every text goes in through textContent / text nodes, never as HTML.

/**
 * Creates an element.
 * @param {string} tag
 * @param {Object<string, any>} [attrs] attributes; "class" sets className, "text" sets textContent,
 *   "on<event>" adds a listener, booleans add or leave out the attribute.
 * @param {Array<Node|string|null|false>} [children] nodes or plain strings (added as text).
 */
export function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = String(value);
    else if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/** A link only when the URL is absolute http(s) (or relative to `base`); otherwise null. */
export function safeUrl(url, base) {
  if (typeof url !== "string" || !url.trim()) return null;
  try {
    const parsed = new URL(url.trim(), base || undefined);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch (_) {
    return null;
  }
}

/** An external link that opens in a new tab, or plain text when the URL is not http(s). */
export function link(url, label, base, extraClass) {
  const href = safeUrl(url, base);
  if (!href) return el("span", { class: extraClass, text: label });
  return el("a", { href, target: "_blank", rel: "noopener noreferrer nofollow", class: extraClass, text: label });
}

/** Text only screen readers read. */
export function srOnly(text) {
  return el("span", { class: "fc-sr", text });
}

/** 32 random hex characters (works on plain-http pages, unlike crypto.randomUUID). */
export function randomId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
