// A single-page app as Auth0's quick starts write it: refresh tokens off, tokens kept in memory,
// so every silent renewal goes through the tenant's /authorize in a hidden iframe (response_mode=web_message).
"use strict";

function outcome(promise) {
  return promise.then(function () { return "ok"; }, function (error) { return "error:" + (error.error || error.message); });
}

window.spaReady = auth0.createAuth0Client({
  domain: window.TENANT.domain,
  clientId: window.TENANT.clientId,
  useRefreshTokens: false,
  cacheLocation: "memory",
  authorizationParams: { redirect_uri: window.location.origin + "/", audience: window.TENANT.audience,
                          scope: "openid profile email read:messages" },
}).then(function (client) {
  window.spa = client;
  return client.isAuthenticated();
});

document.addEventListener("DOMContentLoaded", function () {
  document.getElementById("login-popup").addEventListener("click", function () {
    window.popupDone = outcome(window.spa.loginWithPopup());
  });
  document.getElementById("login-popup-max-age").addEventListener("click", function () {
    window.popupDone = outcome(window.spa.loginWithPopup({ authorizationParams: { max_age: 3600 } }));
  });
  document.getElementById("logout").addEventListener("click", function () {
    window.spa.logout({ logoutParams: { returnTo: window.location.origin + "/" } });
  });
});
