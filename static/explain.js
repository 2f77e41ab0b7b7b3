// Why a Try-it call failed, told from the answer's own fields and for the endpoint that gave it.
(function () {
  "use strict";

  const STATUS_MEANINGS = {
    400: "The request was malformed or missing something the server needs.",
    401: "The server did not accept the credentials or token that came with the request.",
    403: "The server knows who is asking and refuses this request.",
    404: "Nothing lives at this address.",
    405: "This address exists, but not for this HTTP method.",
    413: "The request body is larger than this endpoint reads.",
    422: "The body does not have the fields this endpoint expects.",
    429: "Too many requests: wait a moment and try again.",
    500: "The server failed while handling the request.",
    502: "This site could not get a usable answer from the tenant.",
    503: "The tenant could not be reached."
  };

  // The API's 401 and 403 bodies name the check that failed (tokens/verification.py).
  const API_CHECKS = {
    authorization_header: "No token reached the API: the request had no 'Authorization: Bearer <token>' header. "
      + "Get one first (step 5's password panel at /tutorials/signup-and-token saves it into every token field of "
      + "the site, in this tab), or paste one, and send again.",
    format: "The API could not read the token as a signed JWT, so it never got as far as checking who sent it.",
    alg: "The token names a signature algorithm this API refuses: it accepts RS256 only, whatever the token says.",
    kid: "The token is signed with a key the tenant does not publish: another tenant's token, or a key that was revoked.",
    signature: "The signature does not match the header and claims: the token was changed after the tenant signed it.",
    exp: "The token has expired: get a new one (tokens are short-lived on purpose).",
    nbf: "The token is not valid yet (its nbf is in the future): check the clocks.",
    iss: "The token comes from another issuer than the tenant this API trusts.",
    aud: "The token is for another API: its aud does not name this API. Ask for it with this API's audience.",
    token_type: "This is an ID token, meant for the application that signed the user in, not an access token for the API.",
    sub: "The token names no subject (sub), so the API cannot tell who is calling.",
    scope: "Missing scope: the token is valid, but its scope claim does not grant what this endpoint needs. "
      + "Scopes are what the application asked for, limited to what the user or client holds.",
    permissions: "Missing permission: the token is valid, but its permissions claim (RBAC) does not hold what this "
      + "endpoint needs. Permissions are what the user holds, whatever the application asked for.",
    jwks: "The tenant is unreachable: the API could not fetch the tenant's signing keys, so it cannot check any "
      + "token right now. Nothing is wrong with your token; try again in a few seconds.",
    email: "The token has no email claim; this endpoint needs one."
  };

  // Entries of /troubleshooting for the checks and error codes it explains (errors/troubleshooting.py).
  const TROUBLESHOOTING = "/troubleshooting#";
  const CHECK_ANCHORS = {
    exp: "expired-token", nbf: "clock-skew", iat: "clock-skew", aud: "wrong-audience", token_type: "wrong-audience",
    scope: "insufficient-scope", permissions: "insufficient-scope"
  };
  const CODE_ANCHORS = {
    invalid_grant: "invalid-grant", login_required: "login-required", consent_required: "consent-required",
    insufficient_scope: "insufficient-scope", insufficient_user_authentication: "insufficient-user-authentication",
    mfa_required: "mfa-required"
  };

  const TOKEN_ENDPOINT = {
    bad_client: "Bad client credentials: the tenant did not accept this client_id and client_secret together "
      + "(Auth0 answers 401 access_denied, \"Unauthorized\"). Check the secret; a real one belongs on a server.",
    not_granted: "The client asked for scopes it has not been granted on this API: grant them to the client "
      + "(APIs → Machine to Machine Applications), or ask for fewer.",
    no_service: "Unknown audience: the tenant has no API with this identifier. Use the API's identifier exactly.",
    not_authorized: "The client is not authorized for this API: authorize it under the API's Machine to Machine "
      + "Applications.",
    unauthorized_client: "This application may not use this grant type: enable it under the application's "
      + "Advanced Settings → Grant Types.",
    invalid_grant: "The tenant refused the grant: wrong user credentials, or a code or refresh token that is "
      + "unknown, expired or already used. Refresh tokens rotate: each one works once, and reusing one revokes "
      + "its whole family.",
    refresh_refused: "Refresh token refused: it is unknown, revoked, or already used. With rotation each refresh "
      + "token works once; a used one coming back means someone else may hold a copy, so the tenant revokes the "
      + "whole family: the newest refresh token from the same login is refused too, and the user must sign in again.",
    unsupported_grant_type: "The tenant does not know this grant_type.",
    invalid_request: "The request is missing a parameter or has one the tenant cannot read.",
    invalid_scope: "The scope asked for is not one the tenant knows."
  };

  const ACCOUNTS = {
    wrong_credentials: "Wrong email or password: the tenant checked them and refused (it answers 403 invalid_grant, "
      + "which this service turns into a 401). Check both; passwords are case-sensitive.",
    user_exists: "A user with this email already exists: choose another email, or get a token for this one at "
      + "POST /auth/token.",
    invalid_signup: "The tenant refused the sign-up without saying why (Auth0 does this so that nobody can find out "
      + "which emails have accounts): often the email is taken.",
    weak_password: "The password does not meet the tenant's password policy. The rules, and which this password met:",
    locked: "Too many failed attempts: the tenant blocks further tries for this account from your address for a while.",
    bad_gateway: "The tenant answered something this service cannot pass on, usually a set-up problem (the Password "
      + "grant not enabled for the application, or no Default Directory).",
    unreachable: "The tenant is unreachable: this service got no answer from it. Try again in a moment.",
    validation: "The body must be JSON with an email and a password:"
  };

  const USERINFO_REFUSED = "The tenant's /userinfo refused the token: it is invalid or expired, or was not issued "
    + "with the openid scope (its aud must include /userinfo).";

  function pathOf(url) {
    try { return new URL(url, location.href).pathname; } catch (error) { return String(url); }
  }

  // Auth0's rule messages carry printf placeholders, with their values in `format`.
  function fillFormat(message, values) {
    let index = 0;
    return String(message).replace(/%[ds]/g, () => (values && index < values.length ? String(values[index++]) : "?"));
  }

  function passwordRules(description) {
    if (!description || typeof description !== "object" || !Array.isArray(description.rules)) return null;
    const line = (rule) => ({
      text: fillFormat(rule.message, rule.format),
      met: rule.verified === true,
      items: Array.isArray(rule.items) ? rule.items.map(line) : []
    });
    return description.rules.map(line);
  }

  function said(body) {
    if (!body || typeof body !== "object") return null;
    const value = body.error_description || body.detail || body.description || body.message;
    if (typeof value === "string") return value;
    if (Array.isArray(value) || value === undefined) return null;
    return null;
  }

  function validationFields(body) {
    if (!body || !Array.isArray(body.detail)) return null;
    return body.detail.map((item) => ({
      text: (Array.isArray(item.loc) ? item.loc.filter((part) => part !== "body").join(".") : "body")
        + ": " + (item.msg || "invalid"),
      met: false,
      items: []
    }));
  }

  function explainAccounts(path, status, body) {
    const code = body && body.code;
    if (status === 401 && (code === "invalid_grant" || path === "/auth/token")) return { summary: ACCOUNTS.wrong_credentials };
    if (status === 400 && code === "invalid_password") {
      const rules = passwordRules(body.description);
      if (rules) return { summary: ACCOUNTS.weak_password, rules: rules, quiet: true };
    }
    if (status === 400 && code === "user_exists") return { summary: ACCOUNTS.user_exists };
    if (status === 400 && code === "invalid_signup") return { summary: ACCOUNTS.invalid_signup };
    if (status === 429) return { summary: ACCOUNTS.locked };
    if (status === 422) return { summary: ACCOUNTS.validation, rules: validationFields(body), quiet: true };
    if (status === 502) return { summary: ACCOUNTS.bad_gateway };
    if (status === 503) return { summary: ACCOUNTS.unreachable };
    return null;
  }

  function grantTypeOf(request) {
    try { return JSON.parse(request.body).grant_type; } catch (error) { return null; }
  }

  function explainTokenEndpoint(request, status, body) {
    const error = body && body.error;
    const description = (body && body.error_description) || "";
    if (error === "invalid_grant" && grantTypeOf(request) === "refresh_token") return { summary: TOKEN_ENDPOINT.refresh_refused };
    if (status === 401 && error === "access_denied") return { summary: TOKEN_ENDPOINT.bad_client };
    if (error === "access_denied" && /not been granted scopes/i.test(description)) return { summary: TOKEN_ENDPOINT.not_granted };
    if (error === "access_denied" && /service not found/i.test(description)) return { summary: TOKEN_ENDPOINT.no_service, anchor: "wrong-audience" };
    if (error === "access_denied" && /not authorized to access/i.test(description)) return { summary: TOKEN_ENDPOINT.not_authorized };
    if (error === "invalid_client") return { summary: TOKEN_ENDPOINT.bad_client };
    if (status === 429) return { summary: ACCOUNTS.locked };
    if (TOKEN_ENDPOINT[error]) return { summary: TOKEN_ENDPOINT[error] };
    return null;
  }

  function explainApi(body) {
    const check = body && body.check;
    return API_CHECKS[check] ? { summary: API_CHECKS[check], check: check } : null;
  }

  // The words for one failed answer: a summary for this endpoint, the server's own message once, and
  // the RFC 6750 challenge with any repeat of that message left out.
  function explainFailure(request, response, body) {
    const path = pathOf(request.url);
    const status = response.status;
    let found = null;
    if (path === "/auth/token" || path === "/auth/signup" || path.startsWith("/demo/")) found = explainAccounts(path, status, body);
    else if (path.endsWith("/oauth/token")) found = explainTokenEndpoint(request, status, body);
    else if (path.startsWith("/api/")) found = explainApi(body);
    else if (path.endsWith("/userinfo") && status === 401) found = { summary: USERINFO_REFUSED };
    const explanation = Object.assign({ summary: STATUS_MEANINGS[status] || "The request failed with status " + status + ".",
      rules: null, quiet: false }, found || {});
    const code = body && typeof body === "object" ? body.error || body.code : null;
    const anchor = explanation.anchor || CHECK_ANCHORS[explanation.check] || CODE_ANCHORS[code];
    explanation.troubleshooting = anchor ? TROUBLESHOOTING + anchor : null;
    const message = explanation.quiet ? null : said(body);
    explanation.said = message && message !== explanation.summary ? message : null;
    const challenge = response.headers.get("www-authenticate");
    explanation.challenge = challenge && message
      ? challenge.replace(/error_description="[^"]*"/, 'error_description="…the message above…"')
      : challenge;
    return explanation;
  }

  // A pasted token loses a "Bearer " prefix, quotes and any whitespace or line breaks inside it.
  function normalizeToken(raw) {
    let token = String(raw || "").trim();
    const removed = [];
    if (/^bearer\s+/i.test(token)) {
      token = token.replace(/^bearer\s+/i, "");
      removed.push('the "Bearer " prefix (the panel adds it to the header itself)');
    }
    if (/^["'].*["']$/s.test(token)) {
      token = token.slice(1, -1);
      removed.push("the quotes around it");
    }
    const breaks = (token.match(/\r\n|\r|\n/g) || []).length;
    const spaced = token.replace(/[\r\n]/g, "");
    const spaces = (spaced.match(/\s/g) || []).length;
    token = spaced.replace(/\s/g, "");
    if (breaks) removed.push(breaks === 1 ? "a line break" : breaks + " line breaks");
    if (spaces) removed.push(spaces === 1 ? "a space" : spaces + " spaces");
    return { token: token, removed: removed };
  }

  window.playgroundExplain = { explainFailure: explainFailure, normalizeToken: normalizeToken, fillFormat: fillFormat };
})();
