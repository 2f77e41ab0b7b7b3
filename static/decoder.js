// The token decoder page: decode a pasted JWT in the browser, then ask the server which of the API's checks pass.
(function () {
  "use strict";

  const CHECK_DELAY_MS = 250;
  const TIME_CLAIMS = ["iat", "exp", "nbf", "auth_time"];

  const element = window.playground.element;

  function base64UrlJson(part) {
    return JSON.parse(window.playground.base64UrlDecode(part));
  }

  function span(seconds) {
    const hours = Math.floor(seconds / 3600);
    const minutes = Math.floor((seconds % 3600) / 60);
    if (hours) return hours + " h " + minutes + " min";
    if (minutes) return minutes + " min " + (seconds % 60) + " s";
    return seconds + " s";
  }

  function readableTime(seconds) {
    if (typeof seconds !== "number" || !isFinite(seconds)) return "";
    const when = new Date(seconds * 1000);
    if (isNaN(when.getTime())) return "";
    const delta = Math.round(seconds - Date.now() / 1000);
    const relative = delta >= 0 ? "in " + span(delta) : span(-delta) + " ago";
    return when.toISOString().replace(".000Z", "Z") + " · " + when.toLocaleString() + " · " + relative;
  }

  function explanation(explanations, kind, name) {
    const known = explanations[kind][name];
    if (known) return known;
    return /^https?:\/\//.test(name) ? explanations.namespaced : explanations.unknown;
  }

  // Arrays get a space after each comma, so that a long list of URLs wraps between its items.
  function shownValue(value) {
    return Array.isArray(value) ? "[" + value.map((item) => JSON.stringify(item)).join(", ") + "]" : JSON.stringify(value);
  }

  function rows(target, values, explanations, kind) {
    target.replaceChildren(...Object.entries(values).map(([name, value]) => {
      const shown = element("td", {}, [element("code", {}, [shownValue(value)])]);
      const time = kind === "claims" && TIME_CLAIMS.includes(name) ? readableTime(value) : "";
      if (time) shown.append(element("div", { class: "decoded-time", "data-decoder-time": name }, [time]));
      return element("tr", { "data-decoder-field": name },
        [element("th", { scope: "row" }, [element("code", {}, [name])]), shown,
          element("td", {}, [explanation(explanations, kind, name)])]);
    }));
  }

  function checkLine(check) {
    return element("li",
      { class: check.passed ? "passed" : "failed", "data-check": check.name, "data-passed": String(check.passed) },
      [element("span", { class: "check-mark", "aria-hidden": "true" }, [check.passed ? "\u2713" : "\u2717"]),
        element("strong", {}, [check.title + (check.passed ? " passed" : " failed") + ": "]), check.detail]);
  }

  // The verdict sits beside the token: a sentence, then each failed check with its reason.
  function showVerdict(root, status, sentence, refusals) {
    const verdict = root.querySelector("[data-decoder-verdict]");
    verdict.className = status ? "try-status " + status : "";
    verdict.textContent = sentence;
    root.querySelector("[data-decoder-refusals]").replaceChildren(...refusals);
    root.querySelector("[data-decoder-verdict-box]").hidden = false;
  }

  function showChecks(root, answer) {
    const failed = answer.checks.filter((check) => !check.passed);
    showVerdict(root, answer.accepted ? "ok" : "bad", answer.accepted
      ? "Every check passes: this API would accept the token."
      : "This API would refuse the token: " + failed.length + " check(s) failed.", failed.map(checkLine));
    root.querySelector("[data-decoder-checks]").replaceChildren(...answer.checks.map(checkLine));
  }

  function checksFailed(root, reason) {
    root.querySelector("[data-decoder-checks]").replaceChildren(element("li", { class: "failed" }, [reason]));
    showVerdict(root, "bad", reason, []);
  }

  async function runChecks(root, token) {
    root.querySelector("[data-decoder-checks]").replaceChildren(element("li", {}, ["Checking…"]));
    showVerdict(root, "", "Checking…", []);
    let response;
    try {
      response = await fetch("/decoder/checks", { method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify({ token: token }) });
    } catch (error) {
      checksFailed(root, "The checks could not run: " + error.message);
      return;
    }
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      checksFailed(root, typeof answer.detail === "string" ? answer.detail
        : "The checks could not run (HTTP " + response.status + ").");
      return;
    }
    showChecks(root, answer);
  }

  function decode(root, explanations) {
    const input = root.querySelector("[data-decoder-input]");
    const output = root.querySelector("[data-decoder-output]");
    const error = root.querySelector("[data-decoder-error]");
    const cleanedNote = root.querySelector("[data-decoder-cleaned]");
    const normalized = window.playgroundExplain.normalizeToken(input.value);
    if (normalized.removed.length) {
      input.value = normalized.token;
      cleanedNote.textContent = "Removed from the pasted token: " + normalized.removed.join(", ") + ".";
      cleanedNote.hidden = false;
      root.dataset.cleaned = normalized.token;
    } else if (normalized.token !== root.dataset.cleaned) {
      cleanedNote.hidden = true;
    }
    const token = normalized.token;
    error.hidden = true;
    root.querySelector("[data-decoder-verdict-box]").hidden = true;
    if (!token) { output.hidden = true; return null; }
    const parts = token.split(".");
    let header, claims;
    try {
      if (parts.length !== 3) throw new Error("a JWT has 3 parts separated by dots; this has " + parts.length);
      header = base64UrlJson(parts[0]);
      claims = base64UrlJson(parts[1]);
      if (!header || typeof header !== "object" || !claims || typeof claims !== "object") {
        throw new Error("the header and the claims must both be JSON objects");
      }
    } catch (problem) {
      output.hidden = true;
      error.hidden = false;
      error.textContent = "This is not a JWT: " + problem.message + ".";
      return null;
    }
    root.querySelector("[data-decoder-parts]").replaceChildren(
      element("span", { class: "jwt-header" }, [parts[0]]), ".",
      element("span", { class: "jwt-claims" }, [parts[1]]), ".",
      element("span", { class: "jwt-signature" }, [parts[2]]));
    rows(root.querySelector("[data-decoder-header]"), header, explanations, "header");
    rows(root.querySelector("[data-decoder-claims]"), claims, explanations, "claims");
    output.hidden = false;
    root.decoded = { header: header, claims: claims };
    root.dispatchEvent(new CustomEvent("decoder:decoded", { detail: root.decoded }));
    return token;
  }

  function setUp(root) {
    const explanations = JSON.parse(root.dataset.explanations);
    const input = root.querySelector("[data-decoder-input]");
    let timer = null;
    const update = () => {
      clearTimeout(timer);
      const token = decode(root, explanations);
      if (token) timer = setTimeout(() => runChecks(root, token), CHECK_DELAY_MS);
    };
    input.addEventListener("input", update);
    // "Open in the decoder" links carry the token in the fragment, which never reaches a server.
    const fromLink = new URLSearchParams(location.hash.slice(1)).get("token");
    if (fromLink) {
      input.value = fromLink;
      history.replaceState(null, "", location.pathname);
      update();
    }
  }

  window.playgroundDecoder = { checkLine: checkLine };
  document.addEventListener("DOMContentLoaded", () => {
    const root = document.querySelector("[data-decoder]");
    if (root) setUp(root);
  });
})();
