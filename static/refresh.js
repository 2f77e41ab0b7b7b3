// Refresh tokens in Try-it panels: keep the newest one and the one a rotation used up, and fill the panels
// that ask for them (front matter `fill`), so that a visitor can rotate a token and then try the old one again.
(function () {
  "use strict";

  const KEYS = { refresh_token: "playground.refresh_token", spent_refresh_token: "playground.spent_refresh_token" };

  function remembered(kind) {
    try { return sessionStorage.getItem(KEYS[kind]) || ""; } catch (error) { return ""; }
  }

  function remember(kind, value) {
    try { sessionStorage.setItem(KEYS[kind], value); } catch (error) { /* private mode: this page only */ }
  }

  function fillPanels(root) {
    root.querySelectorAll("[data-try-it][data-fill]").forEach((panel) => {
      const value = remembered(panel.dataset.fill);
      const area = panel.querySelector('textarea[name="body"]');
      if (!value || !area) return;
      try {
        const body = JSON.parse(area.value);
        body.refresh_token = value;
        area.value = JSON.stringify(body, null, 1).replace(/\n\s*/g, " ");
      } catch (error) { /* the visitor broke the JSON: leave it to them */ }
    });
  }

  function sentRefreshToken(request) {
    try {
      const body = JSON.parse(request.body);
      return typeof body.refresh_token === "string" ? body.refresh_token : "";
    } catch (error) {
      return "";
    }
  }

  // Called by site.js with each answer; returns the sentences to show under it.
  function received(request, response, body) {
    if (!response.ok || !body || typeof body.refresh_token !== "string") return [];
    const spent = sentRefreshToken(request);
    if (spent) remember("spent_refresh_token", spent);
    remember("refresh_token", body.refresh_token);
    fillPanels(document);
    const saved = "Saved: the refresh-token panels below will send this new refresh token.";
    return spent
      ? [saved, "The refresh token this request sent is now used up: the tenant rotated it. Sending it again is reuse."]
      : [saved];
  }

  window.playgroundRefresh = { received: received };
  document.addEventListener("DOMContentLoaded", () => fillPanels(document));
})();
