// The flow inspector page: reveal the visitor's own tokens on demand, and show the Swagger sign-ins this tab
// recorded (static/swagger-record.js), which only the browser saw.
(function () {
  "use strict";

  const element = window.playground.element;

  function setUpReveal(root) {
    root.querySelectorAll("[data-reveal]").forEach((button) => {
      button.addEventListener("click", () => {
        const step = button.closest(".flow-step");
        const revealing = button.textContent.startsWith("Reveal");
        step.querySelectorAll("[data-full]").forEach((node) => {
          node.textContent = revealing ? node.dataset.full : node.dataset.masked;
        });
        button.textContent = revealing ? "Mask my tokens" : "Reveal my tokens";
      });
    });
  }

  function row(name, value, meaning) {
    return element("tr", { "data-flow-value": name }, [element("th", { scope: "row" }, [element("code", {}, [name])]),
      element("td", {}, [element("code", {}, [value])]), element("td", {}, [meaning || ""])]);
  }

  function table(pairs, meanings) {
    return element("div", { class: "table-scroll" }, [element("table", { class: "decoded" },
      [element("tbody", {}, Object.entries(pairs).map(([name, value]) => row(name, String(value), meanings[name])))])]);
  }

  function swaggerFlow(flow, meanings) {
    const steps = [];
    if (flow.authorizationUrl) {
      const params = Object.fromEntries(new URL(flow.authorizationUrl).searchParams);
      steps.push(element("li", { class: "flow-step" }, [element("h3", {}, ["Swagger opens the tenant's /authorize"]),
        element("p", {}, ["A popup goes to this URL; the tenant's login page answers."]), table(params, meanings),
        element("pre", { class: "flow-raw" }, [flow.authorizationUrl])]));
    }
    if (flow.tokenRequest) {
      steps.push(element("li", { class: "flow-step" }, [element("h3", {}, ["Your browser → the tenant: POST /oauth/token"]),
        element("p", {}, ["Swagger UI is a public client: it has no secret, so the PKCE verifier is what proves "
          + "it started this login. The tenant answered " + flow.status + "."]),
        table(flow.tokenRequest, meanings), element("pre", { class: "flow-raw" }, [flow.response || ""])]));
    }
    if (flow.pkce && flow.tokenRequest && flow.authorizationUrl) {
      const sent = new URL(flow.authorizationUrl).searchParams.get("code_challenge") || "";
      steps.push(element("li", { class: "flow-step", "data-swagger-pkce": "" }, [
        element("h3", {}, ["PKCE: how the verifier hashes to the challenge"]),
        table({ code_verifier: flow.tokenRequest.code_verifier, "SHA-256(verifier)": flow.pkce.sha256_hex,
          "BASE64URL(hash)": flow.pkce.challenge, "code_challenge sent": sent }, meanings),
        element("p", {}, [sent === flow.pkce.challenge ? "The challenge Swagger sent equals the hash of the verifier: "
          + "the tenant accepted the code." : "The challenge and the verifier's hash differ."])]));
    }
    return element("details", { class: "flow card", "data-swagger-flow": "", open: "" },
      [element("summary", {}, [element("strong", {}, ["Swagger sign-in (authorization code + PKCE)"]), " · " + flow.at]),
        element("ol", { class: "flow-steps" }, steps)]);
  }

  function showSwaggerFlows(root) {
    let flows = [];
    try { flows = JSON.parse(sessionStorage.getItem("playground.swagger_flows") || "[]"); } catch (error) { flows = []; }
    if (!flows.length) return;
    const meanings = JSON.parse(root.dataset.meanings || "{}");
    root.querySelector("[data-swagger-flows]").replaceChildren(...flows.map((flow) => swaggerFlow(flow, meanings)));
  }

  document.addEventListener("DOMContentLoaded", () => {
    const root = document.querySelector("[data-inspector]");
    if (!root) return;
    setUpReveal(root);
    showSwaggerFlows(root);
  });
})();
