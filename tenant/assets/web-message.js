// Auth0's web_message response mode: hand the authorization response to the window that asked for it.
// postMessage with an explicit target origin: the browser drops the message if that window is anywhere else.
(function () {
  "use strict";
  var holder = document.getElementById("authorization-response");
  var message = { type: "authorization_response", response: JSON.parse(holder.dataset.response) };
  var target = window.opener || window.parent;
  if (target && target !== window) {
    target.postMessage(message, holder.dataset.targetOrigin);
  }
})();
