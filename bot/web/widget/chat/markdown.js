// Safe, tiny markdown for the assistant's and agents' messages: **bold**, [links](https://…),
// bare http(s) URLs, line breaks and lists. Builds DOM nodes from text; never parses HTML, so
// "<img src=x onerror=…>" stays visible text.
import { el, safeUrl } from "./dom.js";

const BULLET = /^\s*[-*•]\s+(.*)$/;
const NUMBERED = /^\s*\d{1,3}[.)]\s+(.*)$/;
// **bold** | [label](url) | bare URL
const INLINE = /\*\*([^*]+?)\*\*|\[([^\]\n]{1,200})\]\(([^)\s]{1,2000})\)|(https?:\/\/[^\s<>()"']+[^\s<>()"'.,;:!?])/g;

/** Adds the inline content of one line to `parent`. */
export function appendInline(parent, text) {
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > last) parent.appendChild(document.createTextNode(text.slice(last, match.index)));
    const [whole, bold, label, url, bare] = match;
    if (bold !== undefined) {
      parent.appendChild(el("strong", { text: bold }));
    } else {
      const href = safeUrl(label !== undefined ? url : bare);
      const shown = label !== undefined ? label : bare;
      parent.appendChild(
        href ? el("a", { href, target: "_blank", rel: "noopener noreferrer nofollow", text: shown })
          : document.createTextNode(whole),
      );
    }
    last = match.index + whole.length;
  }
  if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
}

/**
 * Renders a message text as a fragment of paragraphs and lists.
 * @param {string} text
 * @returns {DocumentFragment}
 */
export function renderMarkdown(text) {
  const fragment = document.createDocumentFragment();
  let paragraph = null;
  let list = null;
  for (const line of String(text ?? "").replace(/\r\n?/g, "\n").split("\n")) {
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet || numbered) {
      const tag = bullet ? "ul" : "ol";
      if (!list || list.tagName.toLowerCase() !== tag) {
        list = el(tag);
        fragment.appendChild(list);
      }
      const item = el("li");
      appendInline(item, (bullet || numbered)[1]);
      list.appendChild(item);
      paragraph = null;
      continue;
    }
    list = null;
    if (!line.trim()) {
      paragraph = null;
      continue;
    }
    if (paragraph) paragraph.appendChild(el("br"));
    else {
      paragraph = el("p");
      fragment.appendChild(paragraph);
    }
    appendInline(paragraph, line);
  }
  return fragment;
}
