// The agents' console: sign in, the queue, a conversation with its summary, live replies.
import { api, ApiError, setCsrf } from "./api.js";
import { appBadge, appName, contactName, el, listItem, messageItem, windowNotice } from "./render.js";
import { loadTeam, setUpTeam, team } from "./team.js";

const $ = (id) => document.getElementById(id);
const state = { me: null, status: "open", query: "", current: null, detail: null, events: null };

function show(view) {
  $("signin").hidden = view !== "signin";
  $("desk").hidden = view !== "desk";
  $("me").hidden = view !== "desk";
}

async function start() {
  try {
    signedIn(await api("GET", "/me"));
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) console.error(error);
    show("signin");
    $("email").focus();
  }
}

function signedIn(session) {
  setCsrf(session.csrf_token);
  state.me = session.agent;
  $("me-name").textContent = `${session.agent.name} · ${session.agent.role}`;
  show("desk");
  setUpTeam(session.agent);
  $("insights-open").hidden = session.agent.role !== "admin";
  $("insights-open").onclick = () => location.assign("/console/insights");
  $("copy-open").hidden = session.agent.role !== "admin";
  $("copy-open").onclick = () => location.assign("/console/copy");
  loadTeam().catch(() => {});
  listen();
  refreshList();
}

$("signin-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("signin-error").textContent = "";
  try {
    signedIn(await api("POST", "/login", { email: $("email").value, password: $("password").value }));
    $("password").value = "";
  } catch (error) {
    $("signin-error").textContent = error.message;
  }
});

$("logout").addEventListener("click", async () => {
  try { await api("POST", "/logout"); } finally {
    if (state.events) state.events.close();
    state.current = null;
    show("signin");
  }
});

function listen() {
  if (state.events) state.events.close();
  const source = new EventSource("/api/console/events");
  state.events = source;
  source.addEventListener("ready", () => $("live").classList.add("on"));
  source.onerror = () => {
    $("live").classList.remove("on");
    if (source.readyState === EventSource.CLOSED) api("GET", "/me").then(listen, () => show("signin"));
  };
  source.onmessage = (event) => {
    const data = JSON.parse(event.data);
    if (data.type === "queue") refreshList();
    if (data.conversation_id === state.current) {
      if (data.type === "message") appendMessage(data.message);
      else openConversation(state.current, false);
    }
  };
}

document.querySelectorAll("[role=tab]").forEach((tab) => tab.addEventListener("click", () => {
  document.querySelectorAll("[role=tab]").forEach((t) => t.setAttribute("aria-selected", String(t === tab)));
  state.status = tab.dataset.status;
  state.query = "";
  $("search").value = "";
  refreshList();
}));

$("search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  state.query = $("search").value.trim();
  refreshList();
});

async function refreshList() {
  const path = state.query.length >= 2
    ? `/conversations/search?q=${encodeURIComponent(state.query)}`
    : `/conversations?status=${state.status}`;
  const [rows, queue] = await Promise.all([api("GET", path), api("GET", "/conversations?status=open")]);
  $("count-open").textContent = queue.length ? String(queue.length) : "";
  const list = $("list");
  list.replaceChildren(...rows.map((c) => listItem(c, c.id === state.current, (id) => openConversation(id, true))));
  if (!rows.length) list.append(el("li", { class: "muted none", text: state.query ? "Nothing found." : "Nothing here right now." }));
}

function appendMessage(message) {
  const log = $("transcript");
  if (log.querySelector(`[data-id="${message.id}"]`)) return;
  log.append(messageItem(message));
  log.scrollTop = log.scrollHeight;
}

async function openConversation(id, fresh) {
  const detail = await api("GET", `/conversations/${id}`);
  state.current = id;
  state.detail = detail;
  const c = detail.conversation;
  $("empty").hidden = true;
  $("thread").hidden = false;
  $("context").hidden = false;
  $("thread-title").replaceChildren(contactName(c), " ", appBadge(c));
  const who = c.assignee ? `with ${c.assignee.name}` : "unclaimed";
  $("thread-meta").textContent = `${c.status} · ${c.priority_name} priority · ${who} · via ${appName(c)}`
    + (c.display_name && c.contact_email ? ` · ${c.contact_email}` : "")
    + (c.rating ? ` · rated ${c.rating.stars}/5` : "");
  const notice = windowNotice(c);
  $("window-notice").hidden = !notice;
  $("window-notice").textContent = notice ? notice.text : "";
  $("window-notice").classList.toggle("closed", Boolean(notice && notice.closed));
  $("reply").disabled = Boolean(notice && notice.closed);
  $("send").disabled = Boolean(notice && notice.closed);
  const mine = c.assignee && c.assignee.id === state.me.id;
  const active = c.status === "open" || c.status === "snoozed";
  $("claim").hidden = !active || Boolean(c.assignee);
  for (const id of ["snooze", "handback", "resolve"]) $(id).hidden = !active || !(mine || state.me.role === "admin");
  $("reply-form").hidden = !active;
  $("priority").value = String(c.priority);
  $("assign").replaceChildren(el("option", { value: "", text: c.assignee ? `With ${c.assignee.name}` : "Assign to…" }),
    ...team.agents.filter((a) => a.active && (!c.assignee || a.id !== c.assignee.id))
      .map((a) => el("option", { value: String(a.id), text: a.id === state.me.id ? `${a.name} (me)` : a.name })));
  $("assign").hidden = !active || (c.assignee && !mine && state.me.role !== "admin");
  $("transcript").replaceChildren(...detail.messages.map(messageItem));
  $("transcript").scrollTop = $("transcript").scrollHeight;
  $("summary").textContent = detail.summary.text;
  $("topics").replaceChildren(...detail.summary.topics.map((t) => el("li", { class: "chip", text: t })));
  const orders = detail.summary.orders || [];
  $("orders").replaceChildren(...orders.map((o) => el("tr", {}, [
    el("td", { text: o.order_id }), el("td", { text: o.status }), el("td", { text: `€${o.total}` })])));
  $("orders-none").hidden = orders.length > 0;
  $("orders").closest("table").hidden = orders.length === 0;
  $("notes").replaceChildren(...detail.notes.map((n) => el("li", {}, [
    el("p", { text: n.text }), el("span", { class: "muted small", text: `${n.agent || ""} · ${new Date(n.created_at).toLocaleString()}` })])));
  if (fresh) { $("thread-error").textContent = ""; $("suggestion-source").textContent = ""; refreshList(); }
}

async function act(action, body) {
  $("thread-error").textContent = "";
  try {
    return await api("POST", `/conversations/${state.current}/${action}`, body);
  } catch (error) {
    $("thread-error").textContent = error.message;
    throw error;
  } finally {
    openConversation(state.current, false);
    refreshList();
  }
}

$("priority").addEventListener("change", () => act("priority", { priority: Number($("priority").value) }).catch(() => {}));
$("assign").addEventListener("change", () => {
  if ($("assign").value) act("assign", { agent_id: Number($("assign").value) }).catch(() => {});
});

for (const action of ["claim", "snooze", "handback", "resolve"]) {
  $(action).addEventListener("click", () => act(action).catch(() => {}));
}

$("suggest").addEventListener("click", async () => {
  $("suggest").disabled = true;
  try {
    const drafted = await api("GET", `/conversations/${state.current}/suggestion`);
    $("reply").value = drafted.text;
    $("suggestion-source").textContent = drafted.source_title ? `From: ${drafted.source_title}` : "";
    $("reply").focus();
  } catch (error) {
    $("thread-error").textContent = error.message;
  } finally {
    $("suggest").disabled = false;
  }
});

$("reply-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = $("reply").value.trim();
  if (!text) return;
  $("send").disabled = true;
  try {
    await act("messages", { text });
    $("reply").value = "";
    $("suggestion-source").textContent = "";
  } catch { /* shown in thread-error */ } finally {
    $("send").disabled = false;
  }
});

$("reply").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) $("reply-form").requestSubmit();
});

$("note-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = $("note").value.trim();
  if (!text) return;
  try { await act("notes", { text }); $("note").value = ""; } catch { /* shown */ }
});

start();
