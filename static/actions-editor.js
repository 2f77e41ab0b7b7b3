// The Actions editor: Test runs the code against the sample event; Deploy and Remove change the visitor's own Actions.
(() => {
  const root = document.querySelector("[data-actions-editor]");
  if (!root || !root.querySelector("[data-action-source]")) return;
  const field = (name) => root.querySelector(`[data-action-${name}]`);
  const summary = field("summary"), report = field("report"), deployed = field("deployed");

  const post = async (path, body) => {
    const response = await fetch(path, {
      method: "POST", credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": root.dataset.csrf },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({ detail: `The site answered ${response.status}.` }));
    if (!response.ok) {
      const detail = Array.isArray(answer.detail) ? answer.detail.map((item) => item.msg).join("; ") : answer.detail;
      throw new Error(detail || `The site answered ${response.status}.`);
    }
    return answer;
  };

  const show = (text, details) => {
    summary.textContent = text;
    report.hidden = !details;
    report.textContent = details ? JSON.stringify(details, null, 2) : "";
  };

  const describe = (run) => {
    const took = `(${run.milliseconds} ms)`;
    if (run.outcome === "denied") return `Login denied: access_denied, "${run.description}" ${took}`;
    if (run.outcome === "error") {
      const line = run.line ? ` at line ${run.line}` : "";
      return `The Action failed${line}: "${run.description}"; the login would fail with access_denied ${took}`;
    }
    const parts = [];
    const access = Object.keys(run.access_token), id = Object.keys(run.id_token);
    if (access.length) parts.push(`access token claims: ${access.join(", ")}`);
    if (id.length) parts.push(`ID token claims: ${id.join(", ")}`);
    if (run.scopes_added.length) parts.push(`scopes added: ${run.scopes_added.join(" ")}`);
    if (run.scopes_removed.length) parts.push(`scopes removed: ${run.scopes_removed.join(" ")}`);
    if (run.mfa) parts.push(`MFA asked (${run.mfa.provider})`);
    if (run.redirect) parts.push(`redirect to ${run.redirect.url}`);
    return `${run.outcome === "redirect" ? "Login paused for a redirect" : "Login allowed"}; ${parts.join("; ") || "nothing changed"} ${took}`;
  };

  const listDeployed = (actions) => {
    deployed.replaceChildren(...(actions.length ? actions : [null]).map((action) => {
      const item = document.createElement("li");
      if (!action) { item.textContent = "None yet."; item.dataset.none = ""; return item; }
      const name = document.createElement("code"), remove = document.createElement("button");
      name.textContent = action.name;
      remove.type = "button"; remove.textContent = "Remove"; remove.dataset.actionRemove = action.name;
      item.dataset.deployedName = action.name;
      item.append(name, " ", remove);
      return item;
    }));
  };

  // The buttons come disabled, so that a click before this script runs is not lost.
  for (const name of ["test", "deploy"]) field(name).disabled = false;

  field("test").addEventListener("click", async () => {
    let event;
    try { event = JSON.parse(field("event").value); } catch (error) { show(`The sample event is not JSON: ${error.message}`); return; }
    show("Running…");
    try {
      const run = await post("/actions/test", { source: field("source").value, event });
      show(describe(run), run);
    } catch (error) { show(error.message); }
  });

  field("deploy").addEventListener("click", async () => {
    try {
      const answer = await post("/actions/deploy", { name: field("name").value, source: field("source").value });
      listDeployed(answer.deployed);
      show(`Deployed "${field("name").value}": it runs at your next login.`);
    } catch (error) { show(error.message); }
  });

  deployed.addEventListener("click", async (click) => {
    const name = click.target.dataset && click.target.dataset.actionRemove;
    if (!name) return;
    try { listDeployed((await post("/actions/remove", { name })).deployed); show(`Removed "${name}".`); }
    catch (error) { show(error.message); }
  });
})();
