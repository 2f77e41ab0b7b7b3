// Copy buttons and Try-it panels. No dependencies; everything runs in the visitor's browser.
(function () {
  "use strict";

  const TOKEN_KEY = "playground.access_token";
  const TOKEN_FIELDS = ["access_token", "data"];
  const JWT_PATTERN = /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*$/;
  const SHOWN_HEADERS = ["content-type", "www-authenticate", "location", "cache-control"];
  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
    (children || []).forEach((child) => node.append(child));
    return node;
  }

  async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return;
    }
    // Plain-http origins (a workshop server by IP) have no Clipboard API.
    const area = element("textarea", { "aria-hidden": "true" });
    Object.assign(area.style, { position: "fixed", opacity: "0" });  // CSSOM, which the site's CSP allows
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }

  function copyButton(getText, label) {
    const button = element("button", { type: "button", class: "copy-button", "aria-label": label || "Copy" }, ["Copy"]);
    button.addEventListener("click", async () => {
      try {
        await copyText(getText());
        button.textContent = "Copied";
      } catch (error) {
        button.textContent = "Select and copy";
      }
      setTimeout(() => { button.textContent = "Copy"; }, 1600);
    });
    return button;
  }

  function addCopyButtons(root) {
    root.querySelectorAll("code.copy").forEach((code) => {
      code.after(copyButton(() => code.textContent, "Copy " + code.textContent));
    });
    root.querySelectorAll(".prose .highlight, .prose pre:not(.highlight pre)").forEach((block) => {
      if (block.closest(".try-it") || block.parentElement.classList.contains("code-block")) return;
      const pre = block.tagName === "PRE" ? block : block.querySelector("pre");
      if (!pre) return;
      const wrapper = element("div", { class: "code-block" });
      block.replaceWith(wrapper);
      wrapper.append(block, copyButton(() => pre.innerText.replace(/\n$/, ""), "Copy code"));
    });
  }

  function base64UrlDecode(part) {
    const base64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  }

  // Reads a JWT's header and claims without checking its signature: for showing, never for trusting.
  function decodeJwt(token) {
    if (typeof token !== "string" || !JWT_PATTERN.test(token.trim())) return null;
    const [header, payload] = token.trim().split(".");
    try {
      const decoded = { header: JSON.parse(base64UrlDecode(header)), claims: JSON.parse(base64UrlDecode(payload)) };
      return decoded.header && decoded.header.alg ? decoded : null;
    } catch (error) {
      return null;
    }
  }

  function findJwts(value, path, found) {
    if (typeof value === "string") {
      const decoded = decodeJwt(value);
      if (decoded) found.push({ path: path || "body", token: value, decoded: decoded });
    } else if (value && typeof value === "object") {
      Object.entries(value).forEach(([key, child]) => findJwts(child, path ? path + "." + key : key, found));
    }
    return found;
  }

  function describeTime(seconds) {
    return typeof seconds === "number" ? " (" + new Date(seconds * 1000).toLocaleString() + ")" : "";
  }

  function tokenSection(title, decoded) {
    const claims = decoded.claims;
    const notes = [];
    if (claims.exp) notes.push("expires" + describeTime(claims.exp));
    if (claims.exp && claims.exp * 1000 < Date.now()) notes.push("EXPIRED");
    return [
      element("h4", {}, [title + (notes.length ? " · " + notes.join(" · ") : "")]),
      element("p", {}, ["Header"]),
      element("pre", { "data-try-jwt-header": "" }, [JSON.stringify(decoded.header, null, 2)]),
      element("p", {}, ["Claims"]),
      element("pre", { "data-try-jwt-claims": "" }, [JSON.stringify(claims, null, 2)])
    ];
  }

  function ruleList(rules) {
    return element("ul", { class: "try-rules", "data-try-rules": "" }, rules.map((rule) => element("li",
      { class: rule.met ? "met" : "unmet" },
      [(rule.met ? "\u2713 " : "\u2717 ") + rule.text].concat(rule.items.length ? [ruleList(rule.items)] : []))));
  }

  // What failed, for the endpoint that answered (static/explain.js), each message said once.
  function reasonBlock(explanation) {
    const children = [element("p", { class: "try-reason-summary", "data-try-reason-summary": "" }, [explanation.summary])];
    if (explanation.rules) children.push(ruleList(explanation.rules));
    if (explanation.said) children.push(element("p", { "data-try-said": "" }, ["The server said: " + explanation.said]));
    if (explanation.challenge) {
      children.push(element("p", { "data-try-challenge": "" }, ["WWW-Authenticate: " + explanation.challenge]));
    }
    if (explanation.troubleshooting) {
      children.push(element("p", {}, [element("a", { href: explanation.troubleshooting, "data-try-troubleshooting": "" },
        ["What it means and what to change (troubleshooting)"])]));
    }
    return element("div", { class: "try-reason", "data-try-reason": "" }, children);
  }

  function storedToken() {
    try { return sessionStorage.getItem(TOKEN_KEY) || ""; } catch (error) { return ""; }
  }

  // Fills the token fields that are empty or still hold the previous token, leaving a pasted one alone.
  function storeToken(token) {
    const previous = storedToken();
    try { sessionStorage.setItem(TOKEN_KEY, token); } catch (error) { /* private mode: keep it in the page */ }
    document.querySelectorAll('[data-try-it] textarea[name="token"]').forEach((area) => {
      const current = area.value.trim();
      if (!current || current === previous) area.value = token;
    });
  }

  // The server ticks milestones as it answers; this only redraws the strip from what it recorded.
  async function refreshProgress() {
    const strip = document.querySelector("[data-progress]");
    if (!strip) return;
    let progress;
    try {
      const response = await fetch("/progress", { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) return;
      progress = await response.json();
    } catch (error) {
      return;
    }
    progress.milestones.forEach((milestone) => {
      const item = strip.querySelector('[data-milestone="' + milestone.key + '"]');
      if (!item) return;
      item.classList.toggle("done", milestone.done);
      item.querySelector(".progress-tick").textContent = milestone.done ? "\u2713" : "\u25CB";
      item.querySelector("[data-progress-state]").textContent = milestone.done ? " (done)" : " (not yet)";
    });
    strip.querySelector("[data-progress-dots]").replaceChildren(
      ...progress.milestones.map((milestone) => element("span", milestone.done ? { class: "done" } : {})));
    strip.querySelector("[data-progress-count]").textContent = progress.done + " of " + progress.total + " done";
  }

  function maskToken(token) {
    return token.length > 24 ? token.slice(0, 12) + "…" + token.slice(-8) : token;
  }

  // What a panel will send: the same description feeds the request shown, the fetch and "Copy as curl".
  function panelRequest(panel) {
    const tokenArea = panel.querySelector('textarea[name="token"]');
    const bodyArea = panel.querySelector('textarea[name="body"]');
    const request = { method: panel.dataset.method, url: new URL(panel.dataset.url, location.href).href,
      headers: [["Accept", "application/json"]], body: null, token: "", cleaned: [] };
    if (tokenArea) {
      const normalized = window.playgroundExplain.normalizeToken(tokenArea.value);
      if (normalized.removed.length) tokenArea.value = normalized.token;
      request.token = normalized.token;
      request.cleaned = normalized.removed;
    }
    if (request.token) request.headers.push(["Authorization", "Bearer " + request.token]);
    if (bodyArea) {
      request.body = bodyArea.value;
      request.headers.push(["Content-Type", "application/json"]);
    }
    return request;
  }

  function maskedHeader(name, value) {
    return name === "Authorization" ? "Bearer " + maskToken(value.slice("Bearer ".length)) : value;
  }

  function shellQuote(text) {
    return "'" + text.replace(/'/g, "'\\''") + "'";
  }

  // The request as a curl command: `masked` keeps the token short for the screen, the copy gets it whole.
  function curlCommand(request, masked) {
    const lines = ["curl -i" + (request.method === "GET" ? "" : " -X " + request.method) + " " + shellQuote(request.url)];
    request.headers.forEach(([name, value]) => {
      lines.push("  -H " + shellQuote(name + ": " + (masked ? maskedHeader(name, value) : value)));
    });
    if (request.body !== null) lines.push("  --data-raw " + shellQuote(request.body));
    return lines.join(" \\\n");
  }

  function curlButton(panel) {
    const button = element("button", { type: "button", class: "button button-secondary", "data-try-curl-copy": "" },
      ["Copy as curl"]);
    button.addEventListener("click", async () => {
      const request = panelRequest(panel);
      let shown = panel.querySelector("[data-try-curl]");
      if (!shown) {
        shown = element("pre", { class: "try-curl", "data-try-curl": "" });
        panel.querySelector(".try-actions").after(shown);
      }
      shown.textContent = curlCommand(request, true);
      try {
        await copyText(curlCommand(request, false));
        button.textContent = "Copied as curl";
      } catch (error) {
        button.textContent = "Copy failed: select the command";
      }
      setTimeout(() => { button.textContent = "Copy as curl"; }, 1600);
    });
    return button;
  }

  function decoderLink(token) {
    return element("a", { class: "button button-small button-secondary", href: "/decoder#token=" + token,
      "data-open-decoder": "" }, ["Open in the decoder"]);
  }

  function tokenActions(token) {
    return element("p", { class: "token-actions" }, [copyButton(() => token, "Copy token"), " ", decoderLink(token)]);
  }

  async function send(panel) {
    const request = panelRequest(panel);
    const result = panel.querySelector("[data-try-result]");
    const headers = Object.fromEntries(request.headers);
    const options = { method: request.method, headers: headers, credentials: "same-origin" };
    if (request.body !== null) options.body = request.body;
    const shownRequest = [request.method + " " + request.url]
      .concat(request.headers.map(([name, value]) => name + ": " + maskedHeader(name, value))).join("\n")
      + (request.body !== null ? "\n\n" + request.body : "");
    const children = [element("h4", {}, ["Request"]), element("pre", { "data-try-request": "" }, [shownRequest])];
    if (request.cleaned.length) {
      children.push(element("p", { class: "try-cleaned", "data-try-cleaned": "" },
        ["Removed from the pasted token: " + request.cleaned.join(", ") + "."]));
    }
    result.hidden = false;
    result.replaceChildren(...children, element("p", {}, ["Sending…"]));

    const started = performance.now();
    let response;
    try {
      response = await fetch(request.url, options);
    } catch (error) {
      const reason = "The browser could not reach " + panel.dataset.url + " (" + error.message + "). Check the network, "
        + "and if it is another origin, that it allows this site's origin (CORS, Allowed Web Origins).";
      result.replaceChildren(...children, element("p", { class: "try-reason", "data-try-reason": "" }, [reason]));
      return;
    }
    const elapsed = Math.round(performance.now() - started);
    const text = await response.text();
    let body = null;
    try { body = JSON.parse(text); } catch (error) { body = null; }

    const status = element("p", { class: "try-status " + (response.ok ? "ok" : "bad"), "data-try-status": "" },
      [response.status + " " + response.statusText + " · " + elapsed + " ms"]);
    const headerLines = SHOWN_HEADERS.filter((name) => response.headers.get(name))
      .map((name) => name + ": " + response.headers.get(name));
    const shown = [element("h4", {}, ["Response"]), status];
    if (headerLines.length) shown.push(element("pre", { "data-try-headers": "" }, [headerLines.join("\n")]));
    shown.push(element("pre", { "data-try-body": "" }, [body !== null ? JSON.stringify(body, null, 2) : (text || "(empty body)")]));
    if (!response.ok) {
      shown.push(element("h4", {}, ["Why it failed"]),
        reasonBlock(window.playgroundExplain.explainFailure(request, response, body)));
    }
    if (request.token) {
      const decoded = decodeJwt(request.token);
      if (decoded) shown.push(...tokenSection("The token you sent", decoded), tokenActions(request.token));
    }
    findJwts(body, "", []).forEach((found) => {
      shown.push(...tokenSection("Token in " + found.path, found.decoded), tokenActions(found.token));
      if (TOKEN_FIELDS.includes(found.path)) {
        storeToken(found.token);
        shown.push(element("p", { class: "try-saved" }, ["Saved: the panels on these pages will send this access token."]));
        if (new URL(request.url).pathname === "/auth/token") {
          shown.push(element("p", {}, [element("a", { href: "/inspector", "data-open-inspector": "" },
            ["See the whole exchange, and this site's request to the tenant, in the flow inspector"])]));
        }
      }
    });
    window.playgroundRefresh.received(request, response, body)
      .forEach((sentence) => shown.push(element("p", { class: "try-saved", "data-try-refresh": "" }, [sentence])));
    result.replaceChildren(...children, ...shown);
    panel.dispatchEvent(new CustomEvent("try-it:answer", { bubbles: true, detail: { url: request.url, body: body } }));
    await refreshProgress();
  }

  function setUpPanels(root) {
    const token = storedToken();
    root.querySelectorAll("[data-try-it]").forEach((panel) => {
      const area = panel.querySelector('textarea[name="token"]');
      if (area && token && !area.value.trim()) area.value = token;
      panel.querySelector("[data-try-send]").addEventListener("click", () => send(panel));
      panel.querySelector(".try-actions").append(curlButton(panel));
    });
  }

  window.playground = {
    base64UrlDecode: base64UrlDecode, decodeJwt: decodeJwt, element: element, reasonBlock: reasonBlock,
    refreshProgress: refreshProgress, send: send, storeToken: storeToken, tokenSection: tokenSection
  };
  document.addEventListener("DOMContentLoaded", () => {
    addCopyButtons(document);
    setUpPanels(document);
  });
  // A page restored by the back button shows its old strip: ask again.
  window.addEventListener("pageshow", (event) => { if (event.persisted) refreshProgress(); });
})();
