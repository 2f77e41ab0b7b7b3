// The teaching authenticator: RFC 6238 codes from a pasted base32 secret, with Web Crypto only.
(() => {
  "use strict";
  const PERIOD = 30;
  const DIGITS = 6;
  const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const NOT_BASE32 = "The secret is base32: the letters A to Z and the digits 2 to 7 (spaces are ignored).";
  const NO_WEB_CRYPTO = "This browser offers no Web Crypto here: open the page over https or on localhost.";

  const root = document.querySelector("[data-authenticator]");
  if (!root) return;
  const input = root.querySelector("[data-authenticator-secret]");
  const error = root.querySelector("[data-authenticator-error]");
  const output = root.querySelector("[data-authenticator-output]");
  const codeField = root.querySelector("[data-authenticator-code]");
  const remainingField = root.querySelector("[data-authenticator-remaining]");
  let key = null;

  function base32Bytes(text) {
    const clean = text.replace(/[\s-]/g, "").replace(/=+$/, "").toUpperCase();
    if (!clean || [...clean].some((c) => !ALPHABET.includes(c))) return null;
    const bytes = [];
    let bits = 0;
    let value = 0;
    for (const char of clean) {
      value = (value << 5) | ALPHABET.indexOf(char);
      bits += 5;
      if (bits >= 8) {
        bytes.push((value >>> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return new Uint8Array(bytes);
  }

  async function codeAt(step) {
    const counter = new ArrayBuffer(8);
    const view = new DataView(counter);
    view.setUint32(0, Math.floor(step / 2 ** 32));
    view.setUint32(4, step >>> 0);
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, counter));
    const offset = mac[mac.length - 1] & 0x0f;
    const number = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
    return String(number % 10 ** DIGITS).padStart(DIGITS, "0");
  }

  function show(message) {
    error.textContent = message;
    error.hidden = !message;
    output.hidden = Boolean(message) || !key;
  }

  async function useSecret() {
    key = null;
    const bytes = base32Bytes(input.value);
    if (!input.value.trim()) return show("");
    if (!bytes) return show(NOT_BASE32);
    if (!window.crypto || !crypto.subtle) return show(NO_WEB_CRYPTO);
    key = await crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
    show("");
    await tick();
  }

  async function tick() {
    if (!key) return;
    const now = Date.now() / 1000;
    codeField.textContent = await codeAt(Math.floor(now / PERIOD));
    remainingField.textContent = String(PERIOD - Math.floor(now % PERIOD));
  }

  input.addEventListener("input", useSecret);
  setInterval(tick, 1000);
})();
