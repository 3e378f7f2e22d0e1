// The team: agents to assign conversations to, and (admins only) adding and changing agents.
import { api } from "./api.js";
import { el } from "./render.js";

const $ = (id) => document.getElementById(id);
export const team = { agents: [] };

export async function loadTeam() {
  team.agents = await api("GET", "/agents");
  return team.agents;
}

function row(agent, me) {
  const role = el("select", { "aria-label": `Role of ${agent.name}`, disabled: agent.id === me.id }, [
    el("option", { value: "agent", text: "Agent", selected: agent.role === "agent" }),
    el("option", { value: "admin", text: "Admin", selected: agent.role === "admin" }),
  ]);
  role.addEventListener("change", () => change(agent, { role: role.value }, me));
  const active = el("input", { type: "checkbox", "aria-label": `${agent.name} is active`, checked: agent.active, disabled: agent.id === me.id });
  active.addEventListener("change", () => change(agent, { active: active.checked }, me));
  return el("tr", {}, [el("td", { text: agent.name }), el("td", { text: agent.email }), el("td", {}, [role]), el("td", {}, [active])]);
}

async function change(agent, body, me) {
  $("team-error").textContent = "";
  try { await api("PATCH", `/agents/${agent.id}`, body); } catch (error) { $("team-error").textContent = error.message; }
  await render(me);
}

async function render(me) {
  await loadTeam();
  $("team-list").replaceChildren(...team.agents.map((a) => row(a, me)));
}

export function setUpTeam(me) {
  $("team-open").hidden = me.role !== "admin";
  $("team-open").onclick = async () => { await render(me); $("team").showModal(); };
  $("team-close").onclick = () => $("team").close();
  $("team-form").onsubmit = async (event) => {
    event.preventDefault();
    $("team-error").textContent = "";
    try {
      await api("POST", "/agents", {
        name: $("new-name").value.trim(), email: $("new-email").value.trim(),
        password: $("new-password").value, role: $("new-role").value,
      });
      $("team-form").reset();
      await render(me);
    } catch (error) {
      $("team-error").textContent = error.message;
    }
  };
}
