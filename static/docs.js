// Starts Swagger UI at /docs with the settings the page carries as JSON (the site's CSP runs no inline script).
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("swagger-ui-config").textContent);
  const { initOAuth, oauth2RedirectPath, ...options } = config;
  const ui = SwaggerUIBundle({
    ...options,
    oauth2RedirectUrl: window.location.origin + oauth2RedirectPath,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
  if (initOAuth) {
    ui.initOAuth(initOAuth);
  }
  window.ui = ui;

  // Swagger UI puts a link inside each operation's expand button (two controls in one for a keyboard or a screen
  // reader) and its section headings one level below the title: take the link out of the tab order, as a plain
  // label, and give the sections the level that follows the page's h1.
  function repair(root) {
    root.querySelectorAll(".opblock-summary-control a[href]").forEach((link) => link.removeAttribute("href"));
    root.querySelectorAll("h3.opblock-tag, section.models > h4").forEach((heading) => heading.setAttribute("aria-level", "2"));
  }
  const target = document.getElementById("swagger-ui");
  new MutationObserver(() => repair(target)).observe(target, { childList: true, subtree: true });
})();
