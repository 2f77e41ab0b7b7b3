// On /docs: note each Swagger UI sign-in (the /authorize URL it opens, its token request and the tenant's answer)
// in this tab's sessionStorage, so that the flow inspector can show an exchange this site's server never sees.
// Nothing is sent anywhere; tokens and any client secret are stored masked.
(function () {
  "use strict";

  const KEY = "playground.swagger_flows";
  const MAX_FLOWS = 4;
  const TOKEN_NAMES = ["access_token", "id_token", "refresh_token"];

  function load() {
    try { return JSON.parse(sessionStorage.getItem(KEY) || "[]"); } catch (error) { return []; }
  }

  function save(flows) {
    try { sessionStorage.setItem(KEY, JSON.stringify(flows.slice(0, MAX_FLOWS))); } catch (error) { /* full: skip */ }
  }

  function mask(value) {
    return value.length > 24 ? value.slice(0, 10) + "…" + value.slice(-10) : "•".repeat(value.length);
  }

  async function s256(verifier) {
    if (!window.crypto || !crypto.subtle) return null;  // plain-http origins have no WebCrypto
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
    return {
      sha256_hex: Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join(""),
      challenge: btoa(String.fromCharCode(...digest)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
    };
  }

  const originalOpen = window.open;
  window.open = function (url) {
    try {
      const target = new URL(url, location.href);
      if (target.pathname.endsWith("/authorize")) {
        save([{ at: new Date().toLocaleTimeString(), authorizationUrl: target.href }].concat(load()));
      }
    } catch (error) { /* not a URL: not ours to note */ }
    return originalOpen.apply(window, arguments);
  };

  async function record(body, response) {
    const params = Object.fromEntries(new URLSearchParams(body));
    if (params.client_secret) params.client_secret = mask(params.client_secret);
    let shown = await response.text();
    try {
      const answer = JSON.parse(shown);
      TOKEN_NAMES.forEach((name) => { if (typeof answer[name] === "string") answer[name] = mask(answer[name]); });
      shown = JSON.stringify(answer, null, 2);
    } catch (error) { /* not JSON: shown as it came */ }
    const flows = load();
    const flow = flows.length && !flows[0].tokenRequest ? flows[0] : { at: new Date().toLocaleTimeString() };
    Object.assign(flow, { tokenRequest: params, status: response.status, response: shown });
    if (params.code_verifier) flow.pkce = await s256(params.code_verifier);
    save(flows[0] === flow ? flows : [flow].concat(flows));
  }

  const originalFetch = window.fetch;
  window.fetch = async function (input, init) {
    const response = await originalFetch.apply(window, arguments);
    try {
      const url = new URL(typeof input === "string" ? input : input.url, location.href);
      const body = init && init.body;
      if (url.pathname.endsWith("/oauth/token") && body && (typeof body === "string" || body instanceof URLSearchParams)) {
        await record(String(body), response.clone());
      }
    } catch (error) { /* the page keeps working whatever the record does */ }
    return response;
  };
})();
