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

  let outcome = null, started = false;
  const message = (error) => (error instanceof Error ? error.message : String(error));
  const run = (sourcesJson, eventJson) => {
    if (started) throw new Error("An Action cannot start another run");
    started = true;
    const access = {}, id = {};
    let denied = null, done = false, claimsBytes = 0;
    const setter = (claims) => (name, value) => {
      if (done) return;
      if (typeof name !== "string") throw new TypeError("The claim name must be a string");
      if (value === undefined) { delete claims[name]; return; }
      const text = stringify(value);
      if (text === undefined) return;
      if (depthOf(parse(text)) > MAX_CLAIM_DEPTH) {
        throw new RangeError(`The claim ${name} is nested deeper than ${MAX_CLAIM_DEPTH} levels`);
      }
      claimsBytes += name.length + text.length;
      if (claimsBytes > MAX_CLAIMS_BYTES) throw new RangeError("Custom claims payload exceeds the 100KB limit");
      claims[name] = text;
    };
    const api = Object.freeze({
      accessToken: Object.freeze({ setCustomClaim: setter(access) }),
      idToken: Object.freeze({ setCustomClaim: setter(id) }),
      access: Object.freeze({ deny: (reason) => { if (!done && denied === null) denied = String(reason ?? ""); } }),
    });
    let chain = Promise.resolve();
    for (const source of parse(sourcesJson)) {
      chain = chain.then(async () => {
        if (denied !== null) return;
        const module = { exports: {} };
        new Function("exports", "module", source)(module.exports, module);
        const handler = module.exports.onExecutePostLogin;
        if (typeof handler === "function") await handler(parse(eventJson), api);
      });
    }
    chain.then(
      () => { done = true; outcome = stringify({ access, id, denied }); },
      (error) => { done = true; outcome = stringify({ error: message(error) }); },
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
