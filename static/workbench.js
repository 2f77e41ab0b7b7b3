// The decoder's workbench: edit a token's header and claims, sign, verify with a pasted key, send to /api/secure.
(function () {
  "use strict";

  const HOUR = 3600;
  const SECURE_API = "/api/secure";
  const MESSAGES = {
    badJson: "The {part} editor does not hold valid JSON: {reason}.",
    notObject: "The {part} editor must hold a JSON object ({...}).",
    signed: "Signed with {alg}. It is now the token at the top of the page, where the API's verdict shows.",
    kidKept: " Its header keeps kid {kid}, so an API looks for that key in its own JWKS.",
    generated: "Generated a new {alg} {what}: it exists only in this page.",
    generatedPair: "key pair. The private key is in \"Signing key\", its public half as a JWKS in \"Verification key\"",
    noToken: "Paste a token above first, or sign one.",
    verified: "Verified: this key checks this token's signature, and it is within its times.",
    refused: "Not verified: {count} check(s) failed.",
    unexpected: "The browser could not do this: {reason}.",
    jwksUnreachable: "The tenant's JWKS could not be fetched (HTTP {status}).",
    sendFailed: "The browser could not reach /api/secure: {reason}.",
    accepted: "{status}: the API accepted the token. Every check passed, the signature against this tenant's key too."
  };

  const element = window.playground.element;
  const jwtCrypto = window.playgroundJwtCrypto;
  const fill = jwtCrypto.fill;
  const checkLine = window.playgroundDecoder.checkLine;

  function pretty(value) {
    return JSON.stringify(value, null, 2);
  }

  function parsedObject(text, part) {
    let value;
    try { value = JSON.parse(text); } catch (error) { throw new Error(fill(MESSAGES.badJson, { part: part, reason: error.message })); }
    if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error(fill(MESSAGES.notObject, { part: part }));
    return value;
  }

  function say(target, status, text) {
    target.className = status ? "try-status " + status : "";
    target.textContent = text;
  }

  // Our own messages are shown as they are; anything the browser throws is prefixed so that it reads as a sentence.
  function describe(error) {
    if (error instanceof jwtCrypto.KeyProblem || (error && error.name === "Error")) return error.message;
    return fill(MESSAGES.unexpected, { reason: error && error.message });
  }

  function setUp(root, workbench) {
    const field = (name) => workbench.querySelector("[data-workbench-" + name + "]");
    const input = root.querySelector("[data-decoder-input]");
    const headerField = field("header");
    const claimsField = field("claims");
    const algField = field("alg");

    const now = Math.floor(Date.now() / 1000);
    headerField.value = pretty({ alg: "HS256", typ: "JWT" });
    claimsField.value = pretty({ iss: workbench.dataset.issuer, sub: "workbench|visitor", aud: workbench.dataset.audience,
      iat: now, exp: now + HOUR });

    // The editors follow the token above: pasted, opened from a panel, or just signed here.
    const follow = (decoded) => {
      headerField.value = pretty(decoded.header);
      claimsField.value = pretty(decoded.claims);
      if (jwtCrypto.ALGORITHMS[decoded.header.alg]) algField.value = decoded.header.alg;
    };
    root.addEventListener("decoder:decoded", (event) => follow(event.detail));
    if (root.decoded) follow(root.decoded);

    if (!window.crypto || !window.crypto.subtle) {
      const notice = field("unavailable");
      notice.textContent = jwtCrypto.NO_CRYPTO + " Sending to /api/secure still works.";
      notice.hidden = false;
    }

    field("now").addEventListener("click", () => {
      const status = field("sign-status");
      try {
        const claims = parsedObject(claimsField.value, "claims");
        const issued = Math.floor(Date.now() / 1000);
        claimsField.value = pretty(Object.assign(claims, { iat: issued, exp: issued + HOUR }));
        say(status, "", "");
      } catch (error) {
        say(status, "bad", error.message);
      }
    });

    field("generate").addEventListener("click", async () => {
      const status = field("sign-status");
      const alg = algField.value;
      try {
        const made = await jwtCrypto.generate(alg);
        field("signing-key").value = made.signing;
        field("verify-key").value = made.verifying || made.signing;
        say(status, "ok", fill(MESSAGES.generated, { alg: alg, what: made.verifying ? MESSAGES.generatedPair
          : "secret, in both key boxes (the same secret signs and verifies)" }) + ".");
      } catch (error) {
        say(status, "bad", describe(error));
      }
    });

    field("sign").addEventListener("click", async () => {
      const status = field("sign-status");
      try {
        const header = parsedObject(headerField.value, "header");
        const claims = parsedObject(claimsField.value, "claims");
        const signed = await jwtCrypto.sign(header, claims, field("signing-key").value, algField.value,
          { setKid: field("set-kid").checked });
        input.value = signed.token;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        const kept = typeof signed.header.kid === "string" && !field("set-kid").checked
          ? fill(MESSAGES.kidKept, { kid: signed.header.kid }) : "";
        say(status, "ok", fill(MESSAGES.signed, { alg: algField.value }) + kept);
        workbench.dataset.signed = signed.token;
      } catch (error) {
        say(status, "bad", describe(error));
      }
    });

    field("tenant-jwks").addEventListener("click", async () => {
      const verdict = field("verify-verdict");
      try {
        const response = await fetch(workbench.dataset.jwks, { headers: { Accept: "application/json" } });
        if (!response.ok) throw new Error(fill(MESSAGES.jwksUnreachable, { status: response.status }));
        field("verify-key").value = pretty(await response.json());
        say(verdict, "", "");
      } catch (error) {
        say(verdict, "bad", describe(error));
      }
    });

    field("verify").addEventListener("click", async () => {
      const verdict = field("verify-verdict");
      const list = field("checks");
      const token = window.playgroundExplain.normalizeToken(input.value).token;
      list.replaceChildren();
      if (!token) { say(verdict, "bad", MESSAGES.noToken); return; }
      try {
        const checks = await jwtCrypto.verify(token, field("verify-key").value);
        const failed = checks.filter((check) => !check.passed).length;
        say(verdict, failed ? "bad" : "ok", failed ? fill(MESSAGES.refused, { count: failed }) : MESSAGES.verified);
        list.replaceChildren(...checks.map(checkLine));
      } catch (error) {
        say(verdict, "bad", describe(error));
      }
    });

    field("send").addEventListener("click", async () => {
      const answer = field("answer");
      const token = window.playgroundExplain.normalizeToken(input.value).token;
      if (!token) { answer.replaceChildren(element("p", { class: "try-status bad" }, [MESSAGES.noToken])); return; }
      answer.replaceChildren(element("p", {}, ["Sending…"]));
      const request = { url: new URL(SECURE_API, location.href).href, method: "GET", body: null };
      let response;
      try {
        response = await fetch(SECURE_API, { headers: { Authorization: "Bearer " + token, Accept: "application/json" },
          credentials: "omit" });
      } catch (error) {
        answer.replaceChildren(element("p", { class: "try-status bad" }, [fill(MESSAGES.sendFailed, { reason: error.message })]));
        return;
      }
      const body = await response.json().catch(() => null);
      const status = response.status + " " + response.statusText;
      const shown = [element("p", { class: "try-status " + (response.ok ? "ok" : "bad"), "data-workbench-status": "" },
        [response.ok ? fill(MESSAGES.accepted, { status: status }) : status])];
      if (!response.ok) {
        const named = body && typeof body.check === "string" ? body.check : "";
        if (named) {
          shown.push(element("p", { "data-workbench-refused-by": named }, ["Refused by the check: ", element("code", {}, [named])]));
        }
        shown.push(window.playground.reasonBlock(window.playgroundExplain.explainFailure(request, response, body)));
      }
      shown.push(element("pre", { tabindex: "0", role: "region", "aria-label": "The API's answer", "data-workbench-body": "" },
        [body !== null ? pretty(body) : "(no JSON body)"]));
      answer.replaceChildren(...shown);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const root = document.querySelector("[data-decoder]");
    const workbench = root && root.querySelector("[data-workbench]");
    if (workbench) setUp(root, workbench);
  });
})();
