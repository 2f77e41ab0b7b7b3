// The post-login Actions' sandbox, evaluated once in each fresh V8 isolate before the one run it serves.
// It takes away what could reach past the heap limit (buffers, WebAssembly), offers timers that end with the run,
// then freezes every built-in and the global object. The isolate is thrown away after its run.
(() => {
  "use strict";
  const MAX_CLAIMS_BYTES = 100 * 1024;
  const MAX_CLAIM_DEPTH = 32;
  const Shared = SharedArrayBuffer, Int32 = Int32Array, waitAsync = Atomics.waitAsync;
  const stringify = JSON.stringify, parse = JSON.parse;
  const pending = new Set();
  let nextTimer = 1;
  globalThis.setTimeout = (callback, delay, ...args) => {
    const id = nextTimer++;
    pending.add(id);
    // At least 1 ms, so that the wait is a real one: a timer chain then yields as Node's does, never spinning.
    waitAsync(new Int32(new Shared(8)), 0, 0, Math.max(1, Number(delay) || 0)).value.then(() => {
      if (pending.delete(id) && typeof callback === "function") callback(...args);
    });
    return id;
  };
  globalThis.clearTimeout = (id) => { pending.delete(id); };
  globalThis.__timer_manager = undefined;
  for (const name of ["ArrayBuffer", "SharedArrayBuffer", "DataView", "Atomics", "WebAssembly", "Int8Array",
                      "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
                      "Float16Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"]) {
    delete globalThis[name];
  }

  const depthOf = (value, depth = 0) => {
    if (depth > MAX_CLAIM_DEPTH) return depth;
    if (value === null || typeof value !== "object") return depth;
    let deepest = depth;
    for (const key of Object.keys(value)) deepest = Math.max(deepest, depthOf(value[key], depth + 1));
    return deepest;
  };

  const sessionToken = globalThis.__playgroundSessionToken;
  delete globalThis.__playgroundSessionToken;
  const MAX_LOG_LINES = 100, MAX_LOG_LINE = 1000, MAX_METADATA_BYTES = 16 * 1024;
  const DEFAULT_TOKEN_PARAMETER = "session_token", DEFAULT_TOKEN_LIFETIME = 900;
  const logs = [];
  const show = (value) => {
    if (typeof value === "string") return value;
    try { return stringify(value) ?? String(value); } catch (error) { return String(value); }
  };
  const write = (level) => (...values) => {
    if (logs.length < MAX_LOG_LINES) logs.push(`${level}${values.map(show).join(" ")}`.slice(0, MAX_LOG_LINE));
  };
  globalThis.console = { log: write(""), info: write(""), debug: write(""), warn: write("warn: "),
                         error: write("error: ") };

  // A member this tenant does not have answers as Auth0 would for a feature it lacks: a clear error naming it.
  const lacking = (path) => new Proxy(() => undefined, {
    get: (target, name) => (typeof name === "symbol" || name === "then" ? undefined : lacking(`${path}.${name}`)),
    apply: () => { throw new TypeError(`${path}() is not supported by this playground tenant`); },
  });
  const answering = (path, members) => new Proxy(Object.freeze(members), {
    get: (target, name) => (name in target || typeof name === "symbol" || name === "then" || name === "toJSON"
      ? target[name] : lacking(`${path}.${name}`)),
  });

  let outcome = null, started = false;
  const message = (error) => (error instanceof Error ? error.message : String(error));
  const lineOf = (error) => {
    const found = /action\.js:(\d+):(\d+)/.exec(error && error.stack ? String(error.stack) : "");
    return found ? Number(found[1]) - 2 : null;
  };
  const run = (sourcesJson, eventJson, planJson) => {
    if (started) throw new Error("An Action cannot start another run");
    started = true;
    const plan = parse(planJson);
    const access = {}, id = {}, userMetadata = {}, appMetadata = {}, addScopes = [], removeScopes = [];
    let denied = null, done = false, claimsBytes = 0, metadataBytes = 0, mfa = null, redirect = null;
    const encoded = (name, value, what) => {
      const text = stringify(value);
      if (text === undefined) return undefined;
      if (depthOf(parse(text)) > MAX_CLAIM_DEPTH) {
        throw new RangeError(`The ${what} ${name} is nested deeper than ${MAX_CLAIM_DEPTH} levels`);
      }
      return text;
    };
    const setter = (claims) => (name, value) => {
      if (done) return;
      if (typeof name !== "string") throw new TypeError("The claim name must be a string");
      if (value === undefined) { delete claims[name]; return; }
      const text = encoded(name, value, "claim");
      if (text === undefined) return;
      claimsBytes += name.length + text.length;
      if (claimsBytes > MAX_CLAIMS_BYTES) throw new RangeError("Custom claims payload exceeds the 100KB limit");
      claims[name] = text;
    };
    const metadataSetter = (metadata) => (name, value) => {
      if (done) return;
      if (typeof name !== "string") throw new TypeError("The metadata property name must be a string");
      const text = value === undefined ? "null" : encoded(name, value, "metadata property");
      metadataBytes += name.length + (text || "").length;
      if (metadataBytes > MAX_METADATA_BYTES) throw new RangeError("Metadata updates exceed the 16KB limit");
      metadata[name] = text === undefined ? "null" : text;
    };
    const scopeChange = (list) => (scope) => {
      if (!done && typeof scope === "string" && scope && list.length < 100) list.push(scope.slice(0, 200));
    };
    const apiFor = (index, event) => {
      let api;
      const chained = (act) => (...values) => { act(...values); return api; };
      api = answering("api", {
        access: answering("api.access", {
          deny: chained((reason) => { if (!done && denied === null) denied = reason === undefined ? "" : String(reason); }),
        }),
        accessToken: answering("api.accessToken", {
          setCustomClaim: chained(setter(access)),
          addScope: chained(scopeChange(addScopes)), removeScope: chained(scopeChange(removeScopes)),
        }),
        idToken: answering("api.idToken", { setCustomClaim: chained(setter(id)) }),
        multifactor: answering("api.multifactor", {
          enable: chained((provider, options) => {
            if (done) return;
            mfa = { provider: String(provider ?? "any"),
                    allowRememberBrowser: Boolean(options && options.allowRememberBrowser) };
          }),
        }),
        user: answering("api.user", {
          setUserMetadata: chained(metadataSetter(userMetadata)),
          setAppMetadata: chained(metadataSetter(appMetadata)),
        }),
        redirect: answering("api.redirect", {
          sendUserTo: chained((url, options) => {
            if (done) return;
            if (typeof url !== "string" || !/^https?:\/\//.test(url)) {
              throw new TypeError("api.redirect.sendUserTo needs an absolute http(s) URL");
            }
            const query = {};
            for (const [name, value] of Object.entries((options && options.query) || {})) query[name] = String(value);
            redirect = { url: url.slice(0, 2000), query, index };
          }),
          encodeToken: (options) => {
            const { secret, payload = {}, expiresInSeconds = DEFAULT_TOKEN_LIFETIME } = options || {};
            if (typeof secret !== "string" || !secret) throw new TypeError("api.redirect.encodeToken needs a secret");
            const now = Math.floor(Date.now() / 1000);
            return sessionToken.sign({ ...payload, iss: plan.issuer, sub: event.user.user_id, iat: now,
                                       exp: now + Number(expiresInSeconds), ip: event.request.ip,
                                       state: plan.state }, secret);
          },
          validateToken: (options) => {
            const { secret, tokenParameterName = DEFAULT_TOKEN_PARAMETER } = options || {};
            if (typeof secret !== "string" || !secret) throw new TypeError("api.redirect.validateToken needs a secret");
            const token = (event.request.query || {})[tokenParameterName] ?? (event.request.body || {})[tokenParameterName];
            if (typeof token !== "string") throw new Error(`There is no ${tokenParameterName} parameter to validate`);
            const claims = sessionToken.verify(token, secret);
            if (typeof claims.exp !== "number" || claims.exp * 1000 < Date.now()) {
              throw new Error("The session token has expired");
            }
            if (claims.state !== plan.state) throw new Error("The session token was made for another login");
            return claims;
          },
        }),
      });
      return api;
    };
    let chain = Promise.resolve();
    const sources = parse(sourcesJson);
    sources.forEach((source, index) => {
      if (index < plan.start) return;
      chain = chain.then(async () => {
        if (denied !== null || redirect !== null) return;
        const module = { exports: {} };
        // The name action.js lets an error's stack give its line; the two lines before the source are the wrapper's.
        new Function("exports", "module", `${source}\n//# sourceURL=action.js`)(module.exports, module);
        const resuming = plan.resume && index === plan.start;
        const handler = module.exports[resuming ? "onContinuePostLogin" : "onExecutePostLogin"];
        const event = parse(eventJson);
        if (typeof handler === "function") await handler(event, apiFor(index, event));
      });
    });
    const settled = (result) => { done = true; outcome = stringify({ ...result, logs }); };
    chain.then(
      () => settled({ access, id, denied, mfa, redirect, scopes: { add: addScopes, remove: removeScopes },
                      user_metadata: userMetadata, app_metadata: appMetadata }),
      (error) => settled({ error: message(error), line: lineOf(error) }),
    );
  };
  Object.defineProperty(globalThis, "__playgroundRun", { value: run });
  Object.defineProperty(globalThis, "__playgroundOutcome", { value: () => outcome });

  const seen = new Set();
  const harden = (value) => {
    if ((typeof value !== "object" && typeof value !== "function") || value === null || seen.has(value)) return;
    seen.add(value);
    Object.freeze(value);
    harden(Object.getPrototypeOf(value));
    for (const key of Reflect.ownKeys(value)) {
      const property = Object.getOwnPropertyDescriptor(value, key);
      if (!property) continue;
      harden(property.value);
      harden(property.get);
      harden(property.set);
    }
  };
  harden(globalThis);
})();
