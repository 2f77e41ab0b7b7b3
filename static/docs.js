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
})();
