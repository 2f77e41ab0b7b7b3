/**
 * A post-login Action for benchmarks/hostile_actions.py: hostile when a login asks for a scope `hostile:<kind>`
 * (`visitor:<kind>` for a visitor's copy), an ordinary claim-setting Action otherwise.
 */
exports.onExecutePostLogin = async (event, api) => {
  // The operator's copy answers scopes hostile:<kind> (its secret says so); a visitor's deployed copy, which gets
  // none of the operator's secrets, answers visitor:<kind>: each phase of the benchmark reaches only its own pool.
  const prefix = (event.secrets && event.secrets.HOSTILE_PREFIX) || "visitor:";
  const asked = event.transaction.requested_scopes.find((scope) => scope.startsWith(prefix));
  const kind = asked ? asked.slice(prefix.length) : "";
  if (kind === "loop") {
    for (;;) {}
  }
  if (kind === "memory") {
    const hoard = [];
    for (;;) hoard.push("x".repeat(1024));
  }
  if (kind === "gigabyte") {
    const big = new Array(2 ** 27).fill(0.5);  // 1 GB of doubles
    api.accessToken.setCustomClaim("https://playground.example/size", big.length);
  }
  if (kind === "timers") {
    const again = () => { for (let i = 0; i < 1e5; i++) {} setTimeout(again, 0); };
    for (let i = 0; i < 100; i++) setTimeout(again, 0);
  }
  api.accessToken.setCustomClaim("https://playground.example/email", event.user.email);
};
