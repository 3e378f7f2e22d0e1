// Admins export (as a JSON file) or erase one shopper's data, by e-mail or conversation id.
import { api, setCsrf } from "./api.js";

const $ = (id) => document.getElementById(id);

function subject() {
  const email = $("email").value.trim();
  const conversation = $("conversation").value.trim();
  if (!email && !conversation) throw new Error("Enter an e-mail address or a conversation id.");
  return { email: email || null, conversation_id: conversation || null };
}

async function exportData(event) {
  event.preventDefault();
  $("privacy-error").textContent = "";
  try {
    const who = subject();
    const query = new URLSearchParams(Object.entries(who).filter(([, v]) => v));
    const data = await api("GET", `/privacy/export?${query}`);
    const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
    const link = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: "shopper-data.json" });
    link.click();
    URL.revokeObjectURL(link.href);
    $("privacy-status").textContent = `Exported ${data.conversations.length} conversation(s).`;
  } catch (error) {
    $("privacy-error").textContent = error.message;
  }
}

async function erase() {
  $("privacy-error").textContent = "";
  try {
    const who = subject();
    if (!window.confirm(`Erase everything stored about ${who.email || who.conversation_id}? This cannot be undone.`)) return;
    const erased = await api("POST", "/privacy/erase", { ...who, confirm: true });
    const rows = Object.entries(erased.rows).filter(([, n]) => n).map(([table, n]) => `${n} ${table}`);
    $("privacy-status").textContent = `Erased ${erased.conversations.length} conversation(s): ${rows.join(", ") || "no rows"}.`;
  } catch (error) {
    $("privacy-error").textContent = error.message;
  }
}

async function start() {
  try {
    const me = await api("GET", "/me");
    $("me-name").textContent = `${me.agent.name} · ${me.agent.role}`;
    if (me.agent.role !== "admin") throw new Error("Only admins handle shoppers' data requests.");
    setCsrf(me.csrf_token);
  } catch (error) {
    $("privacy-error").textContent = error.status === 401 ? "Sign in on the console first." : error.message;
    $("privacy-form").hidden = true;
    return;
  }
  $("privacy-form").addEventListener("submit", exportData);
  $("erase").addEventListener("click", erase);
}

start();
