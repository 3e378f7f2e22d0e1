// The console API from the page: same-origin cookie session, CSRF header on every change.
let csrf = "";

export class ApiError extends Error {
  constructor(status, detail) {
    super(typeof detail === "string" ? detail : (detail && detail[0] && detail[0].msg) || `HTTP ${status}`);
    this.status = status;
  }
}

export function setCsrf(token) { csrf = token || ""; }

export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRF-Token"] = csrf;
  const answer = await fetch(`/api/console${path}`, {
    method, headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (answer.status === 204) return null;
  const data = await answer.json().catch(() => ({}));
  if (!answer.ok) throw new ApiError(answer.status, data.detail);
  return data;
}
