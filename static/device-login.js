// A Try-it panel whose answer is a device code keeps polling the token endpoint, as a device-flow CLI does.
(function () {
  "use strict";

  const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
  const SLOW_DOWN_STEP = 5;

  function wait(seconds) {
    return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }

  function requestedClientId(panel) {
    const area = panel.querySelector('textarea[name="body"]');
    try { return JSON.parse(area.value).client_id; } catch (error) { return undefined; }
  }

  async function pollForTokens(panel, device, tokenUrl, clientId) {
    const { element, storeToken, tokenSection, refreshProgress } = window.playground;
    const result = panel.querySelector("[data-try-result]");
    const link = element("a", { href: device.verification_uri_complete, target: "_blank", rel: "noopener",
                                "data-device-link": "" }, [device.verification_uri_complete]);
    const polls = element("ol", { class: "device-polls", "data-device-polls": "" });
    const state = element("p", { class: "try-status", "data-device-state": "", "aria-live": "polite" },
      ["Waiting for someone to confirm the code " + device.user_code + "…"]);
    result.append(element("h4", {}, ["Device login"]),
      element("p", {}, ["Open ", link, " in another tab, sign in and press Confirm."]), state,
      element("h4", {}, ["Polling " + tokenUrl]), polls);
    let interval = device.interval || 5;
    const deadline = Date.now() + device.expires_in * 1000;
    while (Date.now() < deadline && panel.isConnected) {
      await wait(interval);
      let response, body;
      try {
        response = await fetch(tokenUrl, {
          method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ grant_type: DEVICE_GRANT, device_code: device.device_code, client_id: clientId })
        });
        body = await response.json();
      } catch (error) {
        state.textContent = "The token endpoint could not be reached: " + error.message;
        return;
      }
      const said = response.ok ? "tokens" : body.error + ": " + body.error_description;
      polls.append(element("li", {}, [new Date().toLocaleTimeString() + " · " + response.status + " · " + said]));
      if (response.ok) {
        state.textContent = "Confirmed: the device received its tokens.";
        state.classList.add("ok");
        storeToken(body.access_token);
        const decoded = window.playground.decodeJwt(body.access_token);
        if (decoded) result.append(...tokenSection("The device's access token", decoded));
        result.append(element("p", { class: "try-saved" }, ["Saved: the panels on these pages will send this access token."]));
        await refreshProgress();
        return;
      }
      if (body.error === "slow_down") {
        interval += SLOW_DOWN_STEP;
      } else if (body.error !== "authorization_pending") {
        state.textContent = "The login ended: " + said;
        state.classList.add("bad");
        return;
      }
    }
  }

  document.addEventListener("try-it:answer", (event) => {
    const body = event.detail.body;
    if (!body || !body.device_code || !body.verification_uri_complete) return;
    const tokenUrl = new URL("../token", new URL(event.detail.url, location.href)).href;
    pollForTokens(event.target, body, tokenUrl, requestedClientId(event.target));
  });
})();
