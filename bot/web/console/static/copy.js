// Product copy: choose products, a purpose, an audience and a tone; the draft comes back split
// into sentences with their grounding verdicts (unsupported ones marked, the reason in the title);
// edits are checked again and saved as versions; a draft downloads as CSV, JSON or text.
import { api, ApiError, setCsrf } from "./api.js";
import { el } from "./render.js";

const $ = (id) => document.getElementById(id);
const chosen = new Map();
const state = { drafts: [], current: 0 };
let searchTimer = null;

function renderChosen() {
  const items = [...chosen.values()].map((product) => {
    const remove = el("button", { type: "button", text: "Remove", "aria-label": `Remove ${product.name}` });
    remove.addEventListener("click", () => { chosen.delete(product.sku); renderChosen(); });
    return el("li", {}, [el("span", { text: `${product.name} (${product.sku})` }), remove]);
  });
  $("chosen").replaceChildren(...(items.length ? items : [el("li", { class: "muted", text: "None yet: add one from the search." })]));
}

async function search() {
  const products = await api("GET", `/copy/products?q=${encodeURIComponent($("search").value.trim())}`);
  $("found").replaceChildren(...products.map((product) => {
    const add = el("button", { type: "button", text: "Add", "aria-label": `Add ${product.name}` });
    add.addEventListener("click", () => {
      chosen.set(product.sku, product);
      renderChosen();
    });
    return el("li", {}, [
      el("span", { text: `${product.name} · ${product.category} · ${product.price}` }),
      add,
    ]);
  }));
}

// The draft's text with each checked sentence wrapped: a <mark> with the reasons where unsupported.
function renderChecked(text, claims) {
  const nodes = [];
  let at = 0;
  for (const claim of claims) {
    if (claim.start > at) nodes.push(document.createTextNode(text.slice(at, claim.start)));
    const words = text.slice(claim.start, claim.end);
    if (claim.supported) {
      nodes.push(el("span", { class: "claim supported", text: words }));
    } else {
      const why = claim.problems.map((p) => `${p.kind}: ${p.reason}`).join("\n");
      nodes.push(el("mark", { class: "claim unsupported", title: `Not supported by the data. ${why}`, text: words }));
    }
    at = claim.end;
  }
  if (at < text.length) nodes.push(document.createTextNode(text.slice(at)));
  $("checked").replaceChildren(...nodes);
  const flagged = claims.filter((c) => !c.supported).length;
  $("verdict").textContent = flagged
    ? `${flagged} of ${claims.length} sentences state something the product data and policies do not support (marked; hover for why).`
    : `All ${claims.length} sentences are supported by the product data and policies.`;
  $("verdict").classList.toggle("flagged", flagged > 0);
}

function renderHistory(draft) {
  $("history").replaceChildren(...[...draft.versions].reverse().map((v) => {
    const flagged = v.claims.filter((c) => !c.supported);
    return el("li", { "data-version": String(v.number) }, [
      el("strong", { text: `Version ${v.number}` }),
      el("span", { class: "muted small", text: ` · ${v.method} · ${v.author} · ${v.created_at.slice(0, 16).replace("T", " ")} UTC · ${v.grounded ? "grounded" : `${v.unsupported} flagged`}` }),
      el("p", { text: v.text }),
      ...flagged.map((c) => el("div", { class: "why", text: `Flagged: “${c.text}” (${c.problems.map((p) => p.reason).join("; ")})` })),
    ]);
  }));
  $("history-section").hidden = false;
}

function show(index) {
  state.current = index;
  const draft = state.drafts[index];
  const latest = draft.versions[draft.versions.length - 1];
  $("draft-section").hidden = false;
  $("draft-title").textContent = `Draft ${draft.id} · ${draft.purpose.replace("_", " ")} · variant ${draft.variant}`;
  $("draft-note").textContent = latest.note;
  $("text").value = latest.text;
  $("draft-status").textContent = "";
  renderChecked(latest.text, latest.claims);
  for (const kind of ["csv", "json", "txt"]) {
    $(`export-${kind}`).href = `/api/console/copy/drafts/${draft.id}/export.${kind}`;
    $(`export-${kind}`).setAttribute("download", `copy-draft-${draft.id}.${kind}`);
  }
  $("variants").replaceChildren(...(state.drafts.length > 1 ? state.drafts.map((d, i) => {
    const button = el("button", { type: "button", text: `Variant ${d.variant}`, "aria-pressed": String(i === index) });
    button.addEventListener("click", () => show(i));
    return button;
  }) : []));
  renderHistory(draft);
}

async function loadRecent() {
  const drafts = await api("GET", "/copy/drafts");
  $("recent").replaceChildren(...drafts.map((draft) => {
    const open = el("button", { type: "button", text: "Open", "aria-label": `Open draft ${draft.id}` });
    open.addEventListener("click", () => { state.drafts = [draft]; show(0); });
    const latest = draft.versions[draft.versions.length - 1];
    return el("li", {}, [el("span", { text: `#${draft.id} ${draft.purpose.replace("_", " ")} (${draft.skus.join(", ")}) · v${latest.number} · ${latest.text.slice(0, 80)}` }), open]);
  }));
  if (!drafts.length) $("recent").replaceChildren(el("li", { class: "muted", text: "No drafts yet." }));
}

async function busy(button, status, work) {
  button.disabled = true;
  try {
    await work();
  } catch (error) {
    $(status).textContent = error.message;
  } finally {
    button.disabled = false;
  }
}

$("ask").addEventListener("submit", (event) => {
  event.preventDefault();
  busy($("write"), "ask-status", async () => {
    if (!chosen.size) throw new ApiError(422, "Choose at least one product first.");
    $("ask-status").textContent = "Writing…";
    state.drafts = await api("POST", "/copy/drafts", {
      skus: [...chosen.keys()], purpose: $("purpose").value, audience: $("audience").value,
      tone: $("tone").value, variants: $("ab").checked ? 2 : 1,
    });
    $("ask-status").textContent = "";
    show(0);
    await loadRecent();
  });
});
$("recheck").addEventListener("click", () => busy($("recheck"), "draft-status", async () => {
  const draft = state.drafts[state.current];
  const text = $("text").value;
  const check = await api("POST", "/copy/check", { skus: draft.skus, text });
  renderChecked(text, check.claims);
  $("draft-status").textContent = "Checked (not saved yet).";
}));
$("save").addEventListener("click", () => busy($("save"), "draft-status", async () => {
  const draft = state.drafts[state.current];
  state.drafts[state.current] = await api("POST", `/copy/drafts/${draft.id}/versions`, { text: $("text").value });
  show(state.current);
  $("draft-status").textContent = "Saved as a new version.";
  await loadRecent();
}));
$("search").addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => search().catch((error) => { $("copy-error").textContent = error.message; }), 200);
});

async function start() {
  try {
    const me = await api("GET", "/me");
    $("me-name").textContent = `${me.agent.name} · ${me.agent.role}`;
    if (me.agent.role !== "admin") throw new ApiError(403, "Only admins write product copy.");
    setCsrf(me.csrf_token);
    const options = await api("GET", "/copy/options");
    $("purpose").replaceChildren(...options.purposes.map((p) => el("option", { value: p.id, text: `${p.label} (${p.sentences} sentence${p.sentences > 1 ? "s" : ""})` })));
    $("tone").replaceChildren(...options.tones.map((t) => el("option", { value: t, text: t })));
    await search();
    await loadRecent();
    document.body.dataset.loaded = "true";
  } catch (error) {
    $("copy-error").textContent = error.status === 401 ? "Sign in on the console first." : error.message;
  }
}

start();
