// The insights dashboard: the report of /api/console/insights drawn with Chart.js (served from
// node_modules as a classic script, hence the global), tables, exports and transcripts.
import { api, ApiError, setCsrf } from "./api.js";
import { el } from "./render.js";

const { Chart } = globalThis;
const $ = (id) => document.getElementById(id);
const charts = {};
const COLOURS = ["#2f6b4f", "#3d6fb6", "#c77700", "#b3261e", "#7a4fa3", "#8a9690"];
const TABLES = ["totals", "by_channel", "series", "handoff_reasons", "agent_times", "csat_distribution",
  "csat_comments", "top_intents", "intent_trend", "top_products", "recommendation_clicks", "lowest_rated"];

const percent = (value) => (value == null ? "–" : `${(100 * value).toFixed(1)}%`);
const number = (value, unit = "") => (value == null ? "–" : `${value}${unit}`);

function query() {
  const params = new URLSearchParams();
  for (const id of ["since", "until", "channel", "granularity"]) if ($(id).value) params.set(id, $(id).value);
  return params.toString();
}

function draw(id, config) {
  if (charts[id]) charts[id].destroy();
  config.options = { responsive: true, maintainAspectRatio: false, animation: false, ...config.options };
  charts[id] = new Chart($(id), config);
}

function tiles(report) {
  const t = report.totals;
  const c = report.csat;
  const items = [
    ["Conversations", t.conversations], ["Messages", t.messages],
    ["Containment", percent(t.containment)], ["Handoff rate", percent(t.handoff_rate)],
    ["Fallback rate", percent(t.fallback_rate)], ["“Did you mean” rate", percent(t.did_you_mean_rate)],
    ["CSAT", c.average == null ? "–" : `${c.average} ★ (${c.ratings})`], ["Upset share", percent(t.upset_share)],
    ["Orders tracked", t.orders_tracked], ["Orders cancelled", t.orders_cancelled], ["Returns opened", t.returns_opened],
  ];
  $("tiles").replaceChildren(...items.map(([label, value]) =>
    el("div", { class: "tile card" }, [el("span", { class: "tile-label", text: label }), el("strong", { text: String(value) })])));
}

function chartsOf(report) {
  const labels = report.series.map((p) => p.bucket);
  draw("chart-volume", { type: "bar", data: { labels, datasets: [
    { label: "Conversations", data: report.series.map((p) => p.conversations), backgroundColor: COLOURS[0], yAxisID: "y" },
    { label: "Containment %", type: "line", data: report.series.map((p) => (p.containment == null ? null : 100 * p.containment)),
      borderColor: COLOURS[2], backgroundColor: COLOURS[2], yAxisID: "share" },
  ] }, options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, share: { position: "right", min: 0, max: 100 } } } });
  const t = report.totals;
  draw("chart-answers", { type: "doughnut", data: { labels: ["Generated", "From passages", "Refused"],
    datasets: [{ data: [t.answers_generated, t.answers_passage, t.answers_refused], backgroundColor: COLOURS.slice(0, 3) }] } });
  const stars = Object.keys(report.csat.distribution);
  draw("chart-csat", { type: "bar", data: { labels: stars.map((s) => `${s} ★`),
    datasets: [{ label: "Ratings", data: stars.map((s) => report.csat.distribution[s]), backgroundColor: COLOURS[1] }] },
  options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } });
  draw("chart-sentiment", { type: "line", data: { labels, datasets: [
    { label: "Average sentiment", data: report.series.map((p) => p.average_sentiment), borderColor: COLOURS[0], backgroundColor: COLOURS[0] },
    { label: "Upset share", data: report.series.map((p) => p.upset_share), borderColor: COLOURS[3], backgroundColor: COLOURS[3] },
  ] }, options: { scales: { y: { min: -1, max: 1 } } } });
  const intents = report.top_intents.slice(0, 5).map((i) => i.term);
  draw("chart-intents", { type: "line", data: { labels: report.intent_trend.map((p) => p.bucket),
    datasets: intents.map((name, i) => ({ label: name, data: report.intent_trend.map((p) => p.counts[name] || 0),
      borderColor: COLOURS[i], backgroundColor: COLOURS[i] })) },
  options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } });
  const reasons = Object.keys(report.handoffs.reasons);
  draw("chart-reasons", { type: "bar", data: { labels: reasons,
    datasets: [{ label: "Handoffs", data: reasons.map((r) => report.handoffs.reasons[r]), backgroundColor: COLOURS[2] }] },
  options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } } });
}

function tablesOf(report) {
  $("lowest").replaceChildren(...report.lowest_rated.map((r) => el("tr", {}, [
    el("td", { text: "★".repeat(r.stars) }), el("td", { text: r.comment || "" }), el("td", { text: r.channel }),
    el("td", { text: r.rated_at.slice(0, 10) }),
    el("td", {}, [el("a", { href: `#transcript=${encodeURIComponent(r.session_id)}`, text: "Transcript" })]),
  ])));
  if (!report.lowest_rated.length) $("lowest").replaceChildren(el("tr", {}, [el("td", { colspan: "5", class: "muted", text: "No ratings in this period." })]));
  $("products").replaceChildren(...report.top_products.map((p) => el("tr", {}, [el("td", { text: p.term }), el("td", { text: String(p.count) })])));
  $("clicks").replaceChildren(...report.recommendation_clicks.map((c) => el("tr", {}, [el("td", { text: c.term }), el("td", { text: String(c.count) })])));
  const h = report.handoffs;
  $("agent-times").textContent = `${h.handed_over} handed over · first response ${number(h.first_response_median, " s")} median, `
    + `${number(h.first_response_average, " s")} average · resolved in ${number(h.resolution_median, " s")} median`;
  const q = query();
  $("exports").replaceChildren(...TABLES.map((name) => el("li", {}, [
    el("span", { text: name.replaceAll("_", " ") }),
    el("a", { href: `/api/console/insights/export/${name}.csv?${q}`, download: "", text: "CSV" }),
    el("a", { href: `/api/console/insights/export/${name}.json?${q}`, download: "", text: "JSON" }),
  ])));
}

function channels(report) {
  const chosen = $("channel").value;
  $("channel").replaceChildren(el("option", { value: "", text: "All channels" }),
    ...report.channels.map((name) => el("option", { value: name, text: name })));
  $("channel").value = chosen;
}

function draftForm(cluster) {
  const sources = cluster.draft_sources.map((source) => source.title || source.id).join("; ");
  return el("div", { class: "gap-draft" }, [
    el("label", { for: `gap-q-${cluster.id}`, text: "Question" }),
    el("input", { id: `gap-q-${cluster.id}`, value: cluster.draft_question || "" }),
    el("label", { for: `gap-a-${cluster.id}`, text: "Answer" }),
    Object.assign(el("textarea", { id: `gap-a-${cluster.id}`, rows: "3",
      placeholder: "No passage supports an answer yet: write one." }), { value: cluster.draft_answer || "" }),
    el("span", { class: "muted small", text: sources ? `From: ${sources}` : "No supporting passage found." }),
    el("div", { class: "gap-actions" }, [
      el("button", { type: "button", class: "gap-publish", text: "Publish to the knowledge base" }),
    ]),
  ]);
}

async function publishDraft(cluster, item, button) {
  const question = $(`gap-q-${cluster.id}`).value;
  const answer = $(`gap-a-${cluster.id}`).value;
  button.disabled = true;
  $("gaps-status").textContent = "Publishing and rebuilding the knowledge index…";
  try {
    const done = await api("POST", `/insights/gaps/${cluster.id}/publish`, { question, answer });
    $("gaps-status").textContent = `Published as ${done.faq_id} (line ${done.line}); index rebuilt, `
      + `${done.passages} passages. Action server: ${done.action_server}.`;
    item.remove();
  } catch (error) {
    $("gaps-status").textContent = error.message;
    button.disabled = false;
  }
}

function gapItem(cluster) {
  const draft = el("button", { type: "button", text: "Draft an FAQ entry" });
  const fixed = el("button", { type: "button", text: "Mark fixed" });
  const item = el("li", { class: "gap", "data-cluster": String(cluster.id) }, [
    el("div", { class: "gap-title" }, [
      el("strong", { text: cluster.label }),
      el("span", { class: "muted small", text: `${cluster.size} asked · ${cluster.first_seen.slice(0, 10)} – ${cluster.last_seen.slice(0, 10)}` }),
    ]),
    el("ul", { class: "gap-examples" }, cluster.examples.map((text) => el("li", { text }))),
    el("div", { class: "gap-actions" }, [draft, fixed]),
  ]);
  item.addEventListener("click", (event) => {
    const button = event.target.closest(".gap-publish");
    if (button) publishDraft(cluster, item, button);
  });
  if (cluster.draft_question != null) item.append(draftForm(cluster));
  draft.addEventListener("click", async () => {
    draft.disabled = true;
    try {
      const drafted = await api("POST", `/insights/gaps/${cluster.id}/draft`);
      item.querySelector(".gap-draft")?.remove();
      item.append(draftForm(drafted));
    } catch (error) {
      $("gaps-status").textContent = error.message;
    } finally {
      draft.disabled = false;
    }
  });
  fixed.addEventListener("click", async () => {
    try {
      await api("POST", `/insights/gaps/${cluster.id}/fixed`);
      item.remove();
    } catch (error) {
      $("gaps-status").textContent = error.message;
    }
  });
  return item;
}

async function loadGaps() {
  const clusters = await api("GET", "/insights/gaps");
  $("gaps").replaceChildren(...clusters.map(gapItem));
  if (!clusters.length) $("gaps").replaceChildren(el("li", { class: "muted", text: "No open knowledge gaps." }));
}

async function load() {
  $("insights-error").textContent = "";
  try {
    const report = await api("GET", `/insights?${query()}`);
    channels(report);
    tiles(report);
    chartsOf(report);
    tablesOf(report);
    document.body.dataset.loaded = "true";
  } catch (error) {
    $("insights-error").textContent = error.message;
  }
}

async function openTranscript() {
  const match = location.hash.match(/^#transcript=(.+)$/);
  if (!match) return;
  const session = decodeURIComponent(match[1]);
  $("transcript-title").textContent = `Transcript · ${session}`;
  try {
    const lines = await api("GET", `/insights/transcripts/${encodeURIComponent(session)}`);
    $("transcript-lines").replaceChildren(...lines.map((line) => el("li", { class: `line ${line.sender}` }, [
      el("span", { class: "who", text: line.sender === "contact" ? "Shopper" : "Assistant" }), el("p", { text: line.text }),
    ])));
  } catch (error) {
    $("transcript-lines").replaceChildren(el("li", { class: "error", text: error.message }));
  }
  if (!$("transcript").open) $("transcript").showModal();
}

async function start() {
  try {
    const me = await api("GET", "/me");
    $("me-name").textContent = `${me.agent.name} · ${me.agent.role}`;
    if (me.agent.role !== "admin") throw new ApiError(403, "Only admins see the insights.");
    setCsrf(me.csrf_token);
  } catch (error) {
    $("insights-error").textContent = error.status === 401 ? "Sign in on the console first." : error.message;
    return;
  }
  await load();
  await loadGaps().catch((error) => { $("gaps-status").textContent = error.message; });
  await openTranscript();
}

$("filters").addEventListener("submit", (event) => { event.preventDefault(); load(); });
$("update").addEventListener("click", async () => {
  $("update").disabled = true;
  try {
    const done = await api("POST", "/insights/update");
    $("updated").textContent = `${done.events} new events read.`;
    await load();
  } catch (error) {
    $("insights-error").textContent = error.message;
  } finally {
    $("update").disabled = false;
  }
});
$("gaps-cluster").addEventListener("click", async () => {
  $("gaps-cluster").disabled = true;
  $("gaps-status").textContent = "Grouping…";
  try {
    const done = await api("POST", "/insights/gaps/cluster");
    $("gaps-status").textContent = `${done.placed} new questions grouped.`;
    await loadGaps();
  } catch (error) {
    $("gaps-status").textContent = error.message;
  } finally {
    $("gaps-cluster").disabled = false;
  }
});
$("transcript-close").addEventListener("click", () => { $("transcript").close(); history.replaceState(null, "", location.pathname); });
window.addEventListener("hashchange", openTranscript);
start();
