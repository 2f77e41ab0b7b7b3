// The flow stepper: the authorization code + PKCE flow, one request at a time, sent by this page to the tenant.
(function () {
  "use strict";

  const root = document.querySelector("[data-stepper]");
  if (!root) return;
  const setup = JSON.parse(root.dataset.setup);
  const posted = root.dataset.posted ? JSON.parse(root.dataset.posted) : null;
  const tenant = setup.tenant;
  const STORE = "stepper.flow";
  const LOGOUT_PENDING = "stepper.logout";
  const MASK = "••••••••";

  // Errors the tenant can answer, each told in words with what to change on this page.
  const EXPLAIN = {
    state_mismatch: "The state that came back is not the one this tab sent. An attacker who makes your browser "
      + "open a callback with their own code would look just like this, so an application must throw such an "
      + "answer away (this page will not exchange its code). Change: press \"Send the browser to /authorize\" "
      + "again in this tab, and do not reuse an old callback address.",
    no_request: "This tab has no record of sending an authorization request: sessionStorage belongs to one tab, "
      + "and the answer came to another one (or the record was cleared). Without it there is no state to compare "
      + "and no code_verifier. Change: send the request from step 1 in this tab.",
    login_required: "prompt=none asks the tenant to answer without showing any page, and it has no session for this "
      + "browser (nobody has logged in, or you logged out). Change: set prompt to \"(not sent)\" and send again; "
      + "once you are logged in, prompt=none answers with a code silently.",
    consent_required: "prompt=none forbids the consent screen, but this user has not yet agreed to what the "
      + "application asks for. Change: send once without prompt=none and press Accept, or ask for fewer scopes.",
    interaction_required: "prompt=none, but the tenant needs to show a page (login, consent or MFA). Change: send "
      + "without prompt=none.",
    access_denied_consent: "The user pressed Decline on the consent screen, so the application gets no code. "
      + "Change: send again and press Accept, or ask for fewer scopes.",
    access_denied_audience: "The tenant has no API with this audience. Change: set audience to the API's identifier "
      + `exactly (here ${setup.audience}), or leave it empty for a token only /userinfo accepts.`,
    access_denied: "The tenant refused the login: an Action denied it, or the user declined. Read the "
      + "error_description above for the reason the tenant gave.",
    unauthorized_client: "This application may not use this response_type (or grant type). Change: use "
      + "response_type=code, which every interactive application may use, or another client_id.",
    pkce_method: "The tenant accepts S256 only: plain would send the verifier itself to /authorize, where it can "
      + "leak (RFC 9700). Change: set code_challenge_method to S256.",
    missing_challenge: "A public application must send a PKCE code_challenge: without one, anyone who steals the "
      + "code could exchange it. Change: keep code_challenge and code_challenge_method in the request.",
    invalid_request: "The tenant could not accept the request as sent: the error_description names the parameter. "
      + "Change that parameter (prompt=none alone, max_age in whole seconds, response_mode one of query, fragment, "
      + "form_post) and send again.",
    invalid_scope: "A scope in the request is not one the tenant knows. Change: remove it from scope.",
    wrong_verifier: "The code_verifier is not the one whose SHA-256 made the code_challenge sent to /authorize, so "
      + "the tenant cannot tell you from someone who stole the code. Change: send the verifier from step 1 (press "
      + "\"Start over\" if you lost it). The code was used up by this attempt: get a new one by sending step 1 again.",
    missing_verifier: "The code was issued with a code_challenge, so the token request must carry the matching "
      + "code_verifier. Change: add the line code_verifier=… with the verifier from step 1.",
    bad_code: "The tenant does not know this code: it is mistyped, older than its 10 minutes, or already used (a "
      + "code works once; presenting it again also revokes the tokens it gave). Change: send step 1 again for a "
      + "new code, and exchange it once.",
    redirect_mismatch: "The redirect_uri in the token request must be exactly the one sent to /authorize. Change: "
      + "put back the redirect_uri from step 1.",
    client_auth: "The tenant did not accept the client's credentials (Auth0 answers 401 access_denied, "
      + "\"Unauthorized\"). A public single-page app sends no client_secret; a confidential one must send the right "
      + "one. Change: empty the client_secret field for swagger-ui, or check the secret and client_id.",
    refresh_refused: "The refresh token is unknown, revoked, or already used: refresh tokens rotate, each works "
      + "once, and a used one coming back revokes the whole family. Change: use the newest refresh token (the page "
      + "puts it in the body), or log in again from step 1 if you revoked it.",
    no_refresh_token: "There is no refresh token: the tenant issues one only when scope holds offline_access. "
      + "Change: add offline_access to scope in step 1 and go through the flow again.",
    invalid_grant: "The tenant refused the grant: read the error_description above. Change the value it names.",
    unsupported_grant_type: "The tenant does not know this grant_type. Change: grant_type=authorization_code for a "
      + "code, refresh_token for a refresh token.",
    userinfo_401: "The tenant did not accept the access token: it is missing, mistyped, expired, or not one of "
      + "this tenant's. Change: paste the access_token from step 3 or 5, or refresh to get a fresh one.",
    network: "The request did not get an answer the browser may show: the tenant is unreachable, or (on a real "
      + "Auth0 tenant) this site's origin is not in the application's Allowed Web Origins, so the browser blocks "
      + "the cross-origin answer. Change: add the origin there, then send again.",
    nonce_mismatch: "The ID token's nonce is not the one this tab sent: it may be replayed from another login. An "
      + "application must refuse it. Change: start the flow again from step 1."
  };

  const $ = (selector, scope) => (scope || root).querySelector(selector);
  const $$ = (selector, scope) => Array.from((scope || root).querySelectorAll(selector));
  const params = $$("[data-param]");
  const field = (name) => params.find((element) => element.name === name);
  const verifierInput = $("[data-stepper-verifier]");
  const challengeOutput = $("[data-stepper-challenge]");
  const secretInput = $("[data-stepper-secret]");
  const panels = Object.fromEntries($$("[data-stepper-panel]").map((panel) => [panel.dataset.stepperPanel, panel]));

  function randomValue(bytes) {
    const buffer = crypto.getRandomValues(new Uint8Array(bytes));
    return base64url(buffer);
  }

  function base64url(bytes) {
    let text = "";
    bytes.forEach((byte) => { text += String.fromCharCode(byte); });
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  async function s256(verifier) {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
    return base64url(new Uint8Array(digest));
  }

  function load() {
    try { return JSON.parse(sessionStorage.getItem(STORE)) || {}; } catch (error) { return {}; }
  }

  function save(flow) {
    sessionStorage.setItem(STORE, JSON.stringify(flow));
  }

  function update(changes) {
    const flow = Object.assign(load(), changes);
    save(flow);
    return flow;
  }

  function claimsOf(token) {
    try {
      const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return JSON.parse(decodeURIComponent(escape(atob(part))));
    } catch (error) {
      return null;
    }
  }

  // ---- Step 1: the authorization request -------------------------------------------------------------------

  async function challengeFor(verifier, method) {
    return method === "plain" ? verifier : s256(verifier);
  }

  async function authorizeParameters() {
    const query = new URLSearchParams();
    for (const element of params) {
      if (element.value !== "") query.append(element.name, element.value);
    }
    const method = field("code_challenge_method").value;
    const challenge = await challengeFor(verifierInput.value, method);
    challengeOutput.value = challenge;
    challengeOutput.textContent = challenge;
    query.delete("code_challenge_method");
    query.append("code_challenge", challenge);
    query.append("code_challenge_method", method);
    return query;
  }

  async function renderAuthorize() {
    const query = await authorizeParameters();
    const url = `${tenant}/authorize?${query}`;
    const lines = [`GET ${new URL(url).pathname}?${query} HTTP/1.1`, `Host: ${new URL(url).host}`, "", "Parameters:"];
    query.forEach((value, name) => lines.push(`  ${name} = ${value}`));
    $("[data-stepper-authorize-raw]").textContent = lines.join("\n");
    return url;
  }

  function fillDefaults(flow) {
    const sent = flow.sent || {};
    const defaults = {
      client_id: setup.client_id, redirect_uri: setup.redirect_uri, response_type: "code", scope: setup.scope,
      audience: setup.audience, state: randomValue(16), nonce: randomValue(16), code_challenge_method: "S256",
      prompt: "", max_age: "", response_mode: ""
    };
    for (const element of params) {
      element.value = element.name in sent ? sent[element.name] : defaults[element.name];
    }
    verifierInput.value = flow.verifier || randomValue(32);
  }

  async function sendAuthorize() {
    const url = await renderAuthorize();
    const sent = Object.fromEntries(params.map((element) => [element.name, element.value]));
    save({ sent, verifier: verifierInput.value });
    window.location.assign(url);
  }

  // ---- Step 2: the answer ------------------------------------------------------------------------------------

  function answerFromLocation() {
    if (posted && Object.keys(posted).length) {
      return { how: "form_post", fields: posted };
    }
    const query = new URLSearchParams(window.location.search);
    const fragment = new URLSearchParams(window.location.hash.slice(1));
    for (const [how, source] of [["query", query], ["fragment", fragment]]) {
      if (source.has("code") || source.has("error") || source.has("access_token")) {
        return { how, fields: Object.fromEntries(source.entries()), url: window.location.href };
      }
    }
    return null;
  }

  function rawAnswer(answer) {
    if (answer.how === "form_post") {
      const body = new URLSearchParams(answer.fields).toString();
      return [`POST ${new URL(setup.redirect_uri).pathname} HTTP/1.1`, `Host: ${window.location.host}`,
        "Content-Type: application/x-www-form-urlencoded", "", body, "",
        "(the tenant answered with a page holding this form, which your browser posted here)"].join("\n");
    }
    return ["HTTP/1.1 302 Found", `Location: ${answer.url}`, "",
      `(the tenant's answer; the ${answer.how === "query" ? "query string" : "fragment"} holds:)`,
      ...Object.entries(answer.fields).map(([name, value]) => `  ${name} = ${value}`)].join("\n");
  }

  function check(list, passed, text) {
    const item = document.createElement("li");
    item.className = passed ? "passed" : "failed";
    item.textContent = `${passed ? "✓" : "✗"} ${text}`;
    list.append(item);
  }

  function explain(box, key, detail) {
    box.replaceChildren();
    if (!key) {
      box.hidden = true;
      return;
    }
    const summary = document.createElement("p");
    summary.className = "try-reason-summary";
    summary.textContent = detail ? `${detail}` : "What went wrong";
    const words = document.createElement("p");
    words.textContent = EXPLAIN[key];
    box.append(summary, words);
    box.dataset.reason = key;
    box.hidden = false;
  }

  function authorizeErrorKey(fields) {
    const description = fields.error_description || "";
    if (fields.error === "access_denied") {
      if (/Service not found/.test(description)) return "access_denied_audience";
      if (/did not authorize|declin|denied the request/i.test(description)) return "access_denied_consent";
      return "access_denied";
    }
    if (fields.error === "invalid_request") {
      if (/code_challenge_method/.test(description)) return "pkce_method";
      if (/code_challenge/.test(description)) return "missing_challenge";
    }
    return EXPLAIN[fields.error] ? fields.error : "invalid_request";
  }

  function showAnswer(answer) {
    const flow = load();
    $("[data-stepper-answer-empty]").hidden = true;
    $("[data-stepper-answer]").hidden = false;
    $("[data-stepper-answer-raw]").textContent = rawAnswer(answer);
    const list = $("[data-stepper-answer-checks]");
    list.replaceChildren();
    const box = $("[data-stepper-answer-explain]");
    const fields = answer.fields;
    if (!flow.sent) {
      check(list, false, "this tab sent no authorization request");
      explain(box, "no_request", "No request to match");
      return;
    }
    const stateMatches = fields.state === flow.sent.state;
    check(list, stateMatches, stateMatches ? `state matches the one sent (${flow.sent.state})`
      : `state "${fields.state || ""}" is not the one sent ("${flow.sent.state}")`);
    if (!stateMatches) {
      explain(box, "state_mismatch", "State mismatch: answer refused");
      update({ answer: fields, trusted: false });
      return;
    }
    if (fields.error) {
      check(list, false, `the tenant answered error=${fields.error}`);
      explain(box, authorizeErrorKey(fields), `${fields.error}: ${fields.error_description || ""}`);
      update({ answer: fields, trusted: false });
      return;
    }
    explain(box, null);
    if (fields.code) check(list, true, "an authorization code came back: exchange it in step 3");
    const tokens = fields.access_token ? { access_token: fields.access_token, id_token: fields.id_token } : null;
    if (tokens) check(list, true, "tokens came back in the address (implicit grant): no exchange needed, none safe");
    update({ answer: fields, trusted: true, tokens: tokens || load().tokens });
  }

  // ---- Steps 3 to 6: requests the page sends with fetch ----------------------------------------------------------

  function formBody(text) {
    const body = new URLSearchParams();
    text.split("\n").map((line) => line.trim()).filter(Boolean).forEach((line) => {
      const at = line.indexOf("=");
      body.append(at < 0 ? line : line.slice(0, at), at < 0 ? "" : line.slice(at + 1));
    });
    return body;
  }

  function bodyText(pairs) {
    return pairs.filter(([, value]) => value !== undefined && value !== null && value !== "")
      .map(([name, value]) => `${name}=${value}`).join("\n");
  }

  function fillPanels() {
    const flow = load();
    const sent = flow.sent || {};
    const clientId = sent.client_id || setup.client_id;
    const tokens = flow.tokens || {};
    const code = flow.trusted && flow.answer ? flow.answer.code : "";
    $("textarea", panels.token).value = bodyText([["grant_type", "authorization_code"], ["client_id", clientId],
      ["code", code], ["code_verifier", flow.verifier], ["redirect_uri", sent.redirect_uri || setup.redirect_uri]]);
    $("textarea", panels.userinfo).value = tokens.access_token || "";
    $("textarea", panels.refresh).value = bodyText([["grant_type", "refresh_token"], ["client_id", clientId],
      ["refresh_token", tokens.refresh_token]]);
    $("textarea", panels.revoke).value = bodyText([["client_id", clientId], ["token", tokens.refresh_token]]);
    renderLogout();
  }

  function rawRequest(method, url, headers, body) {
    const target = new URL(url);
    const lines = [`${method} ${target.pathname}${target.search} HTTP/1.1`, `Host: ${target.host}`];
    Object.entries(headers).forEach(([name, value]) => lines.push(`${name}: ${value}`));
    if (body !== undefined) lines.push("", body);
    return lines.join("\n");
  }

  async function rawResponse(response) {
    const text = await response.text();
    let json = null;
    try { json = JSON.parse(text); } catch (error) { json = null; }
    const lines = [`HTTP/1.1 ${response.status} ${response.statusText}`];
    response.headers.forEach((value, name) => lines.push(`${name}: ${value}`));
    lines.push("", json ? JSON.stringify(json, null, 2) : text);
    return { json, text: lines.join("\n") };
  }

  async function exchange(panel, method, url, headers, body, shownBody) {
    const result = $("[data-stepper-result]", panel);
    result.hidden = false;
    $("[data-stepper-request]", panel).textContent = rawRequest(method, url, headers,
      shownBody === undefined ? body : shownBody);
    $("[data-stepper-response]", panel).textContent = "…";
    $("[data-stepper-checks]", panel).replaceChildren();
    explain($("[data-stepper-explain]", panel), null);
    try {
      const response = await fetch(url, { method, headers, body, credentials: "omit", cache: "no-store" });
      const answer = await rawResponse(response);
      $("[data-stepper-response]", panel).textContent = answer.text;
      return { status: response.status, json: answer.json, headers: response.headers };
    } catch (error) {
      $("[data-stepper-response]", panel).textContent = `(no answer: ${error.message})`;
      explain($("[data-stepper-explain]", panel), "network", "No answer");
      return null;
    } finally {
      panel.dataset.done = "true";
    }
  }

  function tokenErrorKey(json, grant) {
    const error = json && json.error;
    const description = (json && json.error_description) || "";
    if (error === "invalid_grant") {
      if (/code verifier/i.test(description)) return "wrong_verifier";
      if (/Redirect URI/i.test(description)) return "redirect_mismatch";
      if (grant === "refresh_token") return "refresh_refused";
      if (/authorization code/i.test(description)) return "bad_code";
      return "invalid_grant";
    }
    if (error === "invalid_request" && /code_verifier/.test(description)) return "missing_verifier";
    if (error === "access_denied" && description === "Unauthorized") return "client_auth";
    if (error === "invalid_client") return "client_auth";
    return EXPLAIN[error] ? error : "invalid_request";
  }

  async function postForm(panel, path, text, withSecret) {
    const body = formBody(text);
    const shown = new URLSearchParams(body);
    if (withSecret && secretInput.value) {
      body.set("client_secret", secretInput.value);
      shown.set("client_secret", MASK);
    }
    const headers = { "Content-Type": "application/x-www-form-urlencoded" };
    const answer = await exchange(panel, "POST", `${tenant}${path}`, headers, body.toString(),
      shown.toString().replace(encodeURIComponent(MASK), MASK));
    return { answer, grant: body.get("grant_type") };
  }

  function tokensArrived(panel, json, previous) {
    const list = $("[data-stepper-checks]", panel);
    const tokens = {
      access_token: json.access_token, id_token: json.id_token || previous.id_token,
      refresh_token: json.refresh_token || previous.refresh_token
    };
    check(list, true, `access_token: ${json.token_type || "Bearer"}, expires in ${json.expires_in} s`
      + (json.scope ? `, scope "${json.scope}"` : ""));
    const flow = load();
    if (json.id_token) {
      const claims = claimsOf(json.id_token) || {};
      const expected = flow.sent && flow.sent.nonce;
      const nonceOk = !expected || claims.nonce === expected;
      check(list, nonceOk, nonceOk ? `id_token for ${claims.email || claims.sub}; its nonce matches the one sent`
        : `id_token nonce "${claims.nonce}" is not the one sent`);
      if (!nonceOk) explain($("[data-stepper-explain]", panel), "nonce_mismatch", "Nonce mismatch");
    }
    if (json.refresh_token) {
      check(list, true, previous.refresh_token && previous.refresh_token !== json.refresh_token
        ? "a new refresh_token: the one just sent is now used up (rotation)" : "a refresh_token (offline_access)");
    } else if (!previous.refresh_token) {
      check(list, false, "no refresh_token: scope had no offline_access");
    }
    update({ tokens });
    fillPanels();
  }

  async function sendToken() {
    const panel = panels.token;
    const { answer, grant } = await postForm(panel, "/oauth/token", $("textarea", panel).value, true);
    if (!answer) return;
    if (answer.status === 200 && answer.json && answer.json.access_token) {
      tokensArrived(panel, answer.json, {});
      return;
    }
    const key = tokenErrorKey(answer.json, grant);
    explain($("[data-stepper-explain]", panel), key, answer.json
      ? `${answer.json.error}: ${answer.json.error_description || ""}` : `HTTP ${answer.status}`);
  }

  async function sendUserinfo() {
    const panel = panels.userinfo;
    const token = $("textarea", panel).value.trim();
    const headers = token ? { Authorization: `Bearer ${token}` } : {};
    const answer = await exchange(panel, "GET", `${tenant}/userinfo`, headers);
    if (!answer) return;
    if (answer.status === 200 && answer.json) {
      check($("[data-stepper-checks]", panel), true, `the tenant knows you as ${answer.json.email || answer.json.sub}`);
      return;
    }
    explain($("[data-stepper-explain]", panel), "userinfo_401",
      `HTTP ${answer.status}: ${answer.headers.get("www-authenticate") || "Unauthorized"}`);
  }

  async function sendRefresh() {
    const panel = panels.refresh;
    const text = $("textarea", panel).value;
    if (!formBody(text).get("refresh_token")) {
      $("[data-stepper-result]", panel).hidden = false;
      explain($("[data-stepper-explain]", panel), "no_refresh_token", "No refresh token to send");
      return;
    }
    const { answer, grant } = await postForm(panel, "/oauth/token", text, true);
    if (!answer) return;
    if (answer.status === 200 && answer.json && answer.json.access_token) {
      tokensArrived(panel, answer.json, load().tokens || {});
      return;
    }
    explain($("[data-stepper-explain]", panel), tokenErrorKey(answer.json, grant),
      answer.json ? `${answer.json.error}: ${answer.json.error_description || ""}` : `HTTP ${answer.status}`);
  }

  async function sendRevoke() {
    const panel = panels.revoke;
    const { answer } = await postForm(panel, "/oauth/revoke", $("textarea", panel).value, true);
    if (!answer) return;
    if (answer.status === 200) {
      check($("[data-stepper-checks]", panel), true,
        "revoked: this refresh token and its family are over. Press \"Send the refresh request\" in step 5 to see it refused.");
      return;
    }
    explain($("[data-stepper-explain]", panel), tokenErrorKey(answer.json, "revoke"),
      answer.json ? `${answer.json.error}: ${answer.json.error_description || ""}` : `HTTP ${answer.status}`);
  }

  // ---- Step 7: log out -------------------------------------------------------------------------------------

  function logoutUrl() {
    const flow = load();
    const endpoint = $("[data-stepper-logout-endpoint]").value;
    const query = new URLSearchParams();
    const clientId = (flow.sent && flow.sent.client_id) || setup.client_id;
    query.append("client_id", clientId);
    if (endpoint === "/v2/logout") {
      query.append("returnTo", setup.redirect_uri);
    } else {
      query.append("post_logout_redirect_uri", setup.redirect_uri);
      if (flow.tokens && flow.tokens.id_token) query.append("id_token_hint", flow.tokens.id_token);
    }
    return `${tenant}${endpoint}?${query}`;
  }

  function renderLogout() {
    const url = new URL(logoutUrl());
    $("[data-stepper-logout-raw]").textContent = [`GET ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`,
      "Cookie: (the tenant's session cookie, sent by your browser)"].join("\n");
  }

  function logOut() {
    const url = logoutUrl();
    sessionStorage.setItem(LOGOUT_PENDING, new URL(url).pathname);
    update({ tokens: null, answer: null });
    window.location.assign(url);
  }

  function backFromLogout() {
    const endpoint = sessionStorage.getItem(LOGOUT_PENDING);
    if (!endpoint) return;
    sessionStorage.removeItem(LOGOUT_PENDING);
    $("[data-stepper-logout-result]").hidden = false;
    $("[data-stepper-logout-response]").textContent = ["HTTP/1.1 302 Found", `Location: ${window.location.href}`,
      "Set-Cookie: (the tenant's session cookie, cleared)", "",
      `(${endpoint} ended the tenant session and sent your browser back here. Send step 1 with prompt=none: `
        + "the tenant now answers login_required.)"].join("\n");
  }

  // ---- Wiring ------------------------------------------------------------------------------------------------

  function start() {
    const answer = answerFromLocation();
    fillDefaults(load());
    if (answer) {
      showAnswer(answer);
      // The code and state leave the address bar (and the history), as an application should do.
      history.replaceState(null, "", window.location.pathname);
    } else if (load().answer) {
      showAnswer({ how: "query", fields: load().answer, url: `${setup.redirect_uri}?${new URLSearchParams(load().answer)}` });
    }
    backFromLogout();
    fillPanels();
    renderAuthorize();
  }

  params.forEach((element) => element.addEventListener("input", renderAuthorize));
  verifierInput.addEventListener("input", () => { update({ verifier: verifierInput.value }); renderAuthorize(); });
  $$("[data-stepper-new]").forEach((button) => button.addEventListener("click", () => {
    const target = { state: field("state"), nonce: field("nonce"), verifier: verifierInput }[button.dataset.stepperNew];
    target.value = randomValue(button.dataset.stepperNew === "verifier" ? 32 : 16);
    target.dispatchEvent(new Event("input"));
  }));
  $("[data-stepper-send-authorize]").addEventListener("click", sendAuthorize);
  $("[data-stepper-send]", panels.token).addEventListener("click", sendToken);
  $("[data-stepper-send]", panels.userinfo).addEventListener("click", sendUserinfo);
  $("[data-stepper-send]", panels.refresh).addEventListener("click", sendRefresh);
  $("[data-stepper-send]", panels.revoke).addEventListener("click", sendRevoke);
  $("[data-stepper-logout-endpoint]").addEventListener("change", renderLogout);
  $("[data-stepper-logout]").addEventListener("click", logOut);
  $("[data-stepper-reset]").addEventListener("click", () => {
    sessionStorage.removeItem(STORE);
    window.location.assign(window.location.pathname);
  });
  start();
})();
