/**
 * Post-login Action for the tenant's tests: what it does depends on a scenario named in the requested scopes.
 */
exports.onExecutePostLogin = async (event, api) => {
  const scopes = event.transaction.requested_scopes;
  const scenario = (scopes.find((scope) => scope.startsWith("scenario:")) || "scenario:claims").slice(9);
  if (scenario === "throw") {
    throw new Error("Cannot read properties of undefined (reading 'favorite_color')");
  }
  if (scenario === "deny") {
    return api.access.deny("Only staff may log in here");
  }
  if (scenario === "loop") {
    for (;;) {}
  }
  if (scenario === "async-loop") {
    await null;
    for (;;) {}
  }
  if (scenario === "memory") {
    const hoard = [];
    for (;;) hoard.push({ padding: [1, 2, 3, 4, 5, 6, 7, 8] });
  }
  if (scenario === "tojson-loop") {
    api.accessToken.setCustomClaim("https://tests.example/never", { toJSON() { for (;;) {} } });
  }
  if (scenario === "timer-storm") {
    const again = () => { for (let i = 0; i < 1e5; i++) {} setTimeout(again, 0); };
    for (let i = 0; i < 50; i++) setTimeout(again, 0);
    return;
  }
  if (scenario === "timeout-zero") {
    const order = [];
    await new Promise((resolve) => setTimeout(() => { order.push("timer"); resolve(); }, 0));
    await new Promise((resolve) => setTimeout(resolve, 20));
    api.accessToken.setCustomClaim("https://tests.example/timers", order);
    return;
  }
  if (scenario === "deep") {
    let value = {};
    for (let i = 0; i < 100000; i++) value = { next: value };
    api.accessToken.setCustomClaim("https://tests.example/deep", value);
  }
  if (scenario === "huge") {
    api.accessToken.setCustomClaim("https://tests.example/huge", "x".repeat(4 * 1024 * 1024));
  }
  if (scenario === "forge") {
    const attempts = [];
    const forged = () => JSON.stringify({ access: { permissions: "\"admin:messages\"" }, id: {}, denied: null });
    try { __playgroundRun("[]", "{}"); } catch (error) { attempts.push(error.message); }
    try {
      Object.defineProperty(globalThis, "__playgroundOutcome", { value: forged });
    } catch (error) { attempts.push(error.constructor.name); }
    try { globalThis.__playgroundRun = () => null; } catch (error) { attempts.push(error.constructor.name); }
    api.accessToken.setCustomClaim("https://tests.example/forge", attempts);
    return;
  }
  if (scenario === "reserved") {
    api.accessToken.setCustomClaim("sub", "auth0|someone-else");
    api.accessToken.setCustomClaim("permissions", ["admin:messages"]);
    api.idToken.setCustomClaim("email", "spoofed@example.com");
  }
  if (scenario === "leak") {
    globalThis.loginsSeen = (globalThis.loginsSeen || 0) + 1;
    try { Object.prototype.leaked = true; } catch (error) { /* frozen */ }
    api.accessToken.setCustomClaim("https://tests.example/logins_seen", globalThis.loginsSeen || 0);
    api.accessToken.setCustomClaim("https://tests.example/leaked", ({}).leaked === true);
    return;
  }
  if (scenario === "profile") {
    const { user_metadata, given_name, family_name, picture, username } = event.user;
    api.idToken.setCustomClaim("https://tests.example/profile",
      { user_metadata, given_name, family_name, picture, username });
    return;
  }
  console.log("post-login for", event.user.email);
  api.accessToken.setCustomClaim("https://tests.example/event", {
    user_id: event.user.user_id, email: event.user.email, email_verified: event.user.email_verified,
    name: event.user.name, app_metadata: event.user.app_metadata, client_id: event.client.client_id,
    client_name: event.client.name, roles: event.authorization ? event.authorization.roles : null,
    ip: event.request.ip, user_agent: event.request.user_agent, protocol: event.transaction.protocol,
    resource_server: event.resource_server ? event.resource_server.identifier : null,
    sandbox: [typeof require, typeof process, typeof fetch, typeof ArrayBuffer, typeof WebAssembly].join(),
  });
  api.idToken.setCustomClaim("https://tests.example/greeting", `Hello ${event.user.name}`);
};
