// HS256 session tokens for api.redirect.encodeToken and validateToken, in plain JavaScript (the isolate has no
// crypto): SHA-256 and HMAC over arrays of bytes, base64url, UTF-8. Evaluated before sandbox.js, which takes it.
globalThis.__playgroundSessionToken = (() => {
  "use strict";
  const K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
  ];
  const rotate = (x, n) => (x >>> n) | (x << (32 - n));
  const sha256 = (bytes) => {
    const h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    const data = bytes.slice();
    const bits = bytes.length * 8;
    data.push(0x80);
    while (data.length % 64 !== 56) data.push(0);
    for (let i = 7; i >= 0; i--) data.push(i >= 4 ? 0 : (bits >>> (i * 8)) & 0xff);
    const w = new Array(64);
    for (let block = 0; block < data.length; block += 64) {
      for (let t = 0; t < 16; t++) {
        const i = block + t * 4;
        w[t] = (data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3];
      }
      for (let t = 16; t < 64; t++) {
        const s0 = rotate(w[t - 15], 7) ^ rotate(w[t - 15], 18) ^ (w[t - 15] >>> 3);
        const s1 = rotate(w[t - 2], 17) ^ rotate(w[t - 2], 19) ^ (w[t - 2] >>> 10);
        w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
      }
      let [a, b, c, d, e, f, g, k] = h;
      for (let t = 0; t < 64; t++) {
        const t1 = (k + (rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t]) | 0;
        const t2 = ((rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      [a, b, c, d, e, f, g, k].forEach((value, i) => { h[i] = (h[i] + value) | 0; });
    }
    const digest = [];
    for (const word of h) digest.push((word >>> 24) & 0xff, (word >>> 16) & 0xff, (word >>> 8) & 0xff, word & 0xff);
    return digest;
  };
  const utf8 = (text) => Array.from(unescape(encodeURIComponent(text)), (char) => char.charCodeAt(0));
  const fromUtf8 = (bytes) => decodeURIComponent(escape(String.fromCharCode(...bytes)));
  const hmac = (keyBytes, message) => {
    let key = keyBytes.length > 64 ? sha256(keyBytes) : keyBytes.slice();
    while (key.length < 64) key.push(0);
    const inner = sha256(key.map((byte) => byte ^ 0x36).concat(message));
    return sha256(key.map((byte) => byte ^ 0x5c).concat(inner));
  };
  const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const encode = (bytes) => {
    let out = "";
    for (let i = 0; i < bytes.length; i += 3) {
      const n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
      const chars = [18, 12, 6, 0].map((shift) => ALPHABET[(n >>> shift) & 63]);
      out += chars.slice(0, Math.min(4, bytes.length - i + 1)).join("");
    }
    return out;
  };
  const decode = (text) => {
    const bytes = [];
    let buffer = 0, bits = 0;
    for (const char of text) {
      const value = ALPHABET.indexOf(char);
      if (value < 0) throw new Error("The session token is not base64url");
      buffer = (buffer << 6) | value;
      bits += 6;
      if (bits >= 8) { bits -= 8; bytes.push((buffer >>> bits) & 0xff); }
    }
    return bytes;
  };
  const HEADER = encode(utf8(JSON.stringify({ alg: "HS256", typ: "JWT" })));
  const sign = (claims, secret) => {
    const body = `${HEADER}.${encode(utf8(JSON.stringify(claims)))}`;
    return `${body}.${encode(hmac(utf8(secret), utf8(body)))}`;
  };
  const verify = (token, secret) => {
    const parts = String(token).split(".");
    if (parts.length !== 3) throw new Error("The session token is not a JWT");
    const expected = encode(hmac(utf8(secret), utf8(`${parts[0]}.${parts[1]}`)));
    let difference = expected.length ^ parts[2].length;
    for (let i = 0; i < expected.length; i++) difference |= expected.charCodeAt(i) ^ parts[2].charCodeAt(i);
    if (difference !== 0) throw new Error("invalid signature");
    const header = JSON.parse(fromUtf8(decode(parts[0])));
    if (header.alg !== "HS256") throw new Error("The session token must be signed with HS256");
    return JSON.parse(fromUtf8(decode(parts[1])));
  };
  return { sign, verify };
})();
