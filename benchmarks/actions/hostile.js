/**
 * A post-login Action for benchmarks/hostile_actions.py: hostile when a login asks for a scope `hostile:<kind>`,
 * an ordinary claim-setting Action otherwise.
 */
exports.onExecutePostLogin = async (event, api) => {
  const asked = event.transaction.requested_scopes.find((scope) => scope.startsWith("hostile:"));
  const kind = asked ? asked.slice(8) : "";
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
