/**
 * Post-login Action for the tests of Auth0's `event` and `api`: each login asks for one member by a scope `use:<name>`.
 */
const CLAIM = "https://tests.example/";

exports.onExecutePostLogin = async (event, api) => {
  const asked = event.transaction.requested_scopes.find((scope) => scope.startsWith("use:"));
  const use = asked ? asked.slice(4) : "";
  if (use === "secrets") {
    api.accessToken.setCustomClaim(`${CLAIM}key_length`, event.secrets.API_KEY.length);
  }
  if (use === "leak-secret") {
    console.log("the key is", event.secrets.API_KEY);
    throw new Error(`upstream refused key ${event.secrets.API_KEY}`);
  }
  if (use === "metadata") {
    api.accessToken.setCustomClaim(`${CLAIM}seen`, {
      app: event.user.app_metadata, user: event.user.user_metadata,
    });
    api.user.setAppMetadata("plan", "gold");
    api.user.setUserMetadata("visits", (event.user.user_metadata.visits || 0) + 1);
  }
  if (use === "scopes") {
    api.accessToken.addScope("extra:scope");
    api.accessToken.removeScope("read:messages");
  }
  if (use === "mfa") {
    api.multifactor.enable("any", { allowRememberBrowser: false });
  }
  if (use === "mfa-counted") {
    const runs = (event.user.app_metadata.mfa_runs || 0) + 1;
    api.user.setAppMetadata("mfa_runs", runs);
    api.idToken.setCustomClaim(`${CLAIM}runs`, runs);
    api.multifactor.enable("any", { allowRememberBrowser: false });
  }
  if (use === "deny") {
    api.access.deny();
  }
  if (use === "missing") {
    await api.cache.get("counter");
  }
  if (use === "event") {
    api.idToken.setCustomClaim(`${CLAIM}event`, {
      logins_count: event.stats.logins_count, user_logins_count: event.user.logins_count,
      last_login: typeof event.user.last_login === "string", tenant: event.tenant.id, hostname: event.request.hostname,
      query_client: event.request.query.client_id || null, session: Boolean(event.session && event.session.id),
      secrets: Object.keys(event.secrets),
    });
  }
  if (use === "redirect") {
    const token = api.redirect.encodeToken({ secret: event.secrets.REDIRECT_SECRET, payload: { step: "profile" } });
    api.redirect.sendUserTo("https://profile.example/complete", { query: { session_token: token } });
  }
  api.accessToken.setCustomClaim(`${CLAIM}ran`, true);
};

exports.onContinuePostLogin = async (event, api) => {
  const answer = api.redirect.validateToken({ secret: event.secrets.REDIRECT_SECRET });
  api.accessToken.setCustomClaim(`${CLAIM}favorite_color`, answer.favorite_color);
  api.user.setUserMetadata("favorite_color", answer.favorite_color);
};
