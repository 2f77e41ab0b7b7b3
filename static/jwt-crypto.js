// Sign and verify JWTs in the browser with Web Crypto: keys are read, generated and used on this page only.
(function () {
  "use strict";

  const ENCODER = new TextEncoder();
  const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
  const RSA_BITS = 2048;
  const SECRET_BYTES = 32;

  // What Web Crypto calls each JWS algorithm, and the key it needs.
  const ALGORITHMS = {
    HS256: { kind: "secret", importAs: { name: "HMAC", hash: "SHA-256" }, signWith: { name: "HMAC" },
      needs: "a shared secret (the same text signs and verifies)" },
    RS256: { kind: "RSA", importAs: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, signWith: { name: "RSASSA-PKCS1-v1_5" },
      needs: "an RSA key pair (RSASSA-PKCS1-v1_5 with SHA-256)" },
    PS256: { kind: "RSA", importAs: { name: "RSA-PSS", hash: "SHA-256" }, signWith: { name: "RSA-PSS", saltLength: 32 },
      needs: "an RSA key pair (RSA-PSS with SHA-256)" },
    ES256: { kind: "EC", curve: "P-256", importAs: { name: "ECDSA", namedCurve: "P-256" },
      signWith: { name: "ECDSA", hash: "SHA-256" }, needs: "an EC key pair on the P-256 curve" },
    EdDSA: { kind: "OKP", curve: "Ed25519", importAs: { name: "Ed25519" }, signWith: { name: "Ed25519" },
      needs: "an Ed25519 key pair" }
  };
  // RFC 9864's fully specified name for EdDSA on Ed25519: the same signatures.
  ALGORITHMS.Ed25519 = ALGORITHMS.EdDSA;

  const MESSAGES = {
    noCrypto: "This browser offers no Web Crypto here: signing and verifying need a secure page (https, or "
      + "http://localhost). Open the site that way and try again.",
    unknownAlg: "{alg} is not an algorithm this workbench signs with. Choose one of: " + Object.keys(ALGORITHMS).join(", ") + ".",
    algNone: "alg \"none\" means an unsigned token: a verifier must refuse it (RFC 8725, section 3.1), and so does this one.",
    emptyKey: "Paste a key first, or press \"Generate a key\".",
    emptySecret: "HS256 needs a secret: type or paste one, or press \"Generate a key\".",
    confusion: "The token says HS256, but what you pasted is a public key ({what}). A verifier that took the key's "
      + "text as an HMAC secret would let anyone who has the public key forge tokens (algorithm confusion, RFC 8725 "
      + "section 2.1): choose the algorithm from the key, never from the token.",
    secretForAsymmetric: "{alg} needs {needs}; this looks like plain text, not a PEM block, a JWK or a JWKS.",
    badPem: "This PEM block could not be read: the text between its BEGIN and END lines is not base64 ({reason}).",
    oldPem: "A \"{label}\" block (the older {format} form) is not read by browsers. Convert it to PKCS #8 with "
      + "`openssl pkcs8 -topk8 -nocrypt -in key.pem` (a private key) or `openssl pkey -pubin -in key.pem` (a public key).",
    encryptedPem: "This private key is encrypted with a passphrase: decrypt it first with `openssl pkcs8 -topk8 -nocrypt -in key.pem`.",
    certificate: "This is an X.509 certificate. Paste the public key it holds: `openssl x509 -pubkey -noout -in cert.pem`.",
    unknownPem: "A PEM block labelled \"{label}\" is not a key this workbench reads: use \"PRIVATE KEY\" or \"PUBLIC KEY\".",
    badJson: "This looks like JSON but is not valid JSON: {reason}.",
    notAJwk: "This JSON is neither a JWK (an object with \"kty\") nor a JWKS (an object with a \"keys\" array).",
    emptyJwks: "This JWKS holds no key.",
    wrongKind: "{alg} needs {needs}, but this is {what}.",
    keyRefused: "The browser refused this key for {alg}: {reason}. {alg} needs {needs}.",
    publicToSign: "This is a public key: it verifies, it cannot sign. Paste the private key (or generate a pair).",
    jwkAlg: "This JWK says it is for {keyAlg}, and the token says {alg}: a verifier must not use a key for another algorithm.",
    noKid: "The token's kid {kid} names none of the JWKS's keys ({kids}).",
    noFittingKey: "None of the JWKS's keys fits {alg}: it needs {needs}."
  };

  function fill(message, values) {
    return message.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  }

  class KeyProblem extends Error {}

  function problem(message, values) {
    return new KeyProblem(fill(message, values || {}));
  }

  function subtle() {
    if (!window.crypto || !window.crypto.subtle) throw problem(MESSAGES.noCrypto);
    return window.crypto.subtle;
  }

  function base64UrlBytes(bytes) {
    let binary = "";
    new Uint8Array(bytes).forEach((byte) => { binary += String.fromCharCode(byte); });
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function bytesOfBase64Url(text) {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  }

  function base64UrlJson(value) {
    return base64UrlBytes(ENCODER.encode(JSON.stringify(value)));
  }

  function algorithmOf(alg) {
    if (typeof alg === "string" && alg.toLowerCase() === "none") throw problem(MESSAGES.algNone);
    const found = ALGORITHMS[alg];
    if (!found) throw problem(MESSAGES.unknownAlg, { alg: JSON.stringify(alg) });
    return found;
  }

  // ---- Reading what the visitor pasted: a secret, a PEM block, a JWK or a JWKS ----

  const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;
  const OLD_PEM = { "RSA PRIVATE KEY": "PKCS #1", "RSA PUBLIC KEY": "PKCS #1", "EC PRIVATE KEY": "SEC 1" };

  function readPem(text) {
    const block = PEM_BLOCK.exec(text);
    if (!block) return null;
    const label = block[1];
    if (OLD_PEM[label]) throw problem(MESSAGES.oldPem, { label: label, format: OLD_PEM[label] });
    if (label === "ENCRYPTED PRIVATE KEY") throw problem(MESSAGES.encryptedPem);
    if (label === "CERTIFICATE") throw problem(MESSAGES.certificate);
    if (label !== "PRIVATE KEY" && label !== "PUBLIC KEY") throw problem(MESSAGES.unknownPem, { label: label });
    let der;
    try {
      der = Uint8Array.from(atob(block[2].replace(/\s/g, "")), (char) => char.charCodeAt(0));
    } catch (error) {
      throw problem(MESSAGES.badPem, { reason: error.message });
    }
    return { format: label === "PRIVATE KEY" ? "pkcs8" : "spki", der: der, isPrivate: label === "PRIVATE KEY" };
  }

  function readJson(text) {
    const trimmed = text.trim();
    if (!trimmed.startsWith("{")) return null;
    let value;
    try { value = JSON.parse(trimmed); } catch (error) { throw problem(MESSAGES.badJson, { reason: error.message }); }
    if (value && Array.isArray(value.keys)) {
      if (!value.keys.length) throw problem(MESSAGES.emptyJwks);
      return { jwks: value.keys.filter((key) => key && typeof key === "object") };
    }
    if (value && typeof value.kty === "string") return { jwks: [value], single: true };
    throw problem(MESSAGES.notAJwk);
  }

  // What a pasted key is, in words, from its JWK members.
  function describeJwk(jwk) {
    const part = PRIVATE_MEMBERS.some((name) => name in jwk && name !== "k") ? "private" : "public";
    if (jwk.kty === "RSA") return "an RSA " + part + " key";
    if (jwk.kty === "EC") return "an EC " + part + " key on " + (jwk.crv || "an unnamed curve");
    if (jwk.kty === "OKP") return "an " + (jwk.crv || "OKP") + " " + part + " key";
    if (jwk.kty === "oct") return "a symmetric secret (kty oct)";
    return "a key of type " + jwk.kty;
  }

  function fitsAlgorithm(jwk, algorithm) {
    if (jwk.kty !== algorithm.kind) return false;
    return !algorithm.curve || jwk.crv === algorithm.curve;
  }

  function publicPart(jwk) {
    const copy = Object.assign({}, jwk);
    PRIVATE_MEMBERS.forEach((name) => delete copy[name]);
    return copy;
  }

  async function importJwk(jwk, alg, usage) {
    const algorithm = ALGORITHMS[alg];
    if (!fitsAlgorithm(jwk, algorithm)) {
      throw problem(MESSAGES.wrongKind, { alg: alg, needs: algorithm.needs, what: describeJwk(jwk) });
    }
    const isPrivate = "d" in jwk;
    if (usage === "sign" && !isPrivate) throw problem(MESSAGES.publicToSign);
    // The alg and uses a JWK declares are checked here in words; Web Crypto would only say "DataError".
    const bare = usage === "verify" ? publicPart(jwk) : Object.assign({}, jwk);
    ["alg", "use", "key_ops", "ext"].forEach((name) => delete bare[name]);
    try {
      return await subtle().importKey("jwk", bare, algorithm.importAs, true, [usage]);
    } catch (error) {
      throw problem(MESSAGES.keyRefused, { alg: alg, reason: error.message, needs: algorithm.needs });
    }
  }

  // A PEM key is tried as the chosen algorithm, then as the others to tell the visitor what it really is.
  async function importPem(pem, alg, usage) {
    const algorithm = ALGORITHMS[alg];
    if (usage === "sign" && !pem.isPrivate) throw problem(MESSAGES.publicToSign);
    const uses = pem.isPrivate ? ["sign"] : ["verify"];
    try {
      const key = await subtle().importKey(pem.format, pem.der, algorithm.importAs, true, uses);
      if (usage === "sign") return key;
      return pem.isPrivate ? importJwk(publicPart(await subtle().exportKey("jwk", key)), alg, "verify") : key;
    } catch (error) {
      if (error instanceof KeyProblem) throw error;
      for (const [other, candidate] of Object.entries(ALGORITHMS)) {
        if (candidate.kind === "secret" || candidate.kind === algorithm.kind) continue;
        try {
          const key = await subtle().importKey(pem.format, pem.der, candidate.importAs, true, uses);
          const what = describeJwk(await subtle().exportKey("jwk", key)) + " (it fits " + other + ")";
          throw problem(MESSAGES.wrongKind, { alg: alg, needs: algorithm.needs, what: what });
        } catch (tried) {
          if (tried instanceof KeyProblem) throw tried;
        }
      }
      throw problem(MESSAGES.keyRefused, { alg: alg, reason: error.message || error.name, needs: algorithm.needs });
    }
  }

  // RFC 7638: the SHA-256 of the public key's required members, in order; a key id that the key itself fixes.
  async function thumbprint(jwk) {
    const members = { RSA: ["e", "kty", "n"], EC: ["crv", "kty", "x", "y"], OKP: ["crv", "kty", "x"] }[jwk.kty];
    if (!members) return null;
    const canonical = "{" + members.map((name) => JSON.stringify(name) + ":" + JSON.stringify(jwk[name])).join(",") + "}";
    return base64UrlBytes(await subtle().digest("SHA-256", ENCODER.encode(canonical)));
  }

  // The key to sign with, and the kid it names (a JWK's own, else its thumbprint); a secret has none.
  async function signingKey(text, alg) {
    const algorithm = algorithmOf(alg);
    if (algorithm.kind === "secret") {
      if (!text) throw problem(MESSAGES.emptySecret);
      const key = await subtle().importKey("raw", ENCODER.encode(text), algorithm.importAs, false, ["sign"]);
      return { key: key, kid: null };
    }
    if (!text.trim()) throw problem(MESSAGES.emptyKey);
    const pem = readPem(text);
    if (pem) {
      const key = await importPem(pem, alg, "sign");
      return { key: key, kid: await thumbprint(publicPart(await subtle().exportKey("jwk", key))) };
    }
    const json = readJson(text);
    if (!json) throw problem(MESSAGES.secretForAsymmetric, { alg: alg, needs: algorithm.needs });
    const jwk = json.jwks.find((candidate) => "d" in candidate) || json.jwks[0];
    const key = await importJwk(jwk, alg, "sign");
    return { key: key, kid: jwk.kid || await thumbprint(publicPart(jwk)) };
  }

  async function sign(header, claims, keyText, alg, options) {
    const { key, kid } = await signingKey(keyText, alg);
    const signedHeader = Object.assign({}, header, { alg: alg });
    if (kid && options && options.setKid) signedHeader.kid = kid;
    const input = base64UrlJson(signedHeader) + "." + base64UrlJson(claims);
    const signature = await subtle().sign(ALGORITHMS[alg].signWith, key, ENCODER.encode(input));
    return { token: input + "." + base64UrlBytes(signature), header: signedHeader };
  }

  // ---- Verifying: each check in words ----

  function check(name, title, passed, detail) {
    return { name: name, title: title, passed: passed, detail: detail };
  }

  // The key to verify with: the one whose kid the token names, or the only one that fits.
  async function verificationKey(text, header) {
    const alg = header.alg;
    const algorithm = ALGORITHMS[alg];
    if (algorithm.kind === "secret") {
      const pem = PEM_BLOCK.exec(text);
      if (pem) throw problem(MESSAGES.confusion, { what: "a PEM block" });
      if (/^\s*\{/.test(text)) {
        const json = readJson(text);
        const jwk = json.jwks.find((candidate) => candidate.kty === "oct");
        if (!jwk) throw problem(MESSAGES.confusion, { what: describeJwk(json.jwks[0]) });
        const key = await subtle().importKey("raw", bytesOfBase64Url(jwk.k || ""), algorithm.importAs, false, ["verify"]);
        return { key: key, said: "the secret of the pasted JWK (its k member)" };
      }
      if (!text) throw problem(MESSAGES.emptySecret);
      const key = await subtle().importKey("raw", ENCODER.encode(text), algorithm.importAs, false, ["verify"]);
      return { key: key, said: "the pasted secret" };
    }
    if (!text.trim()) throw problem(MESSAGES.emptyKey);
    const pem = readPem(text);
    if (pem) {
      const key = await importPem(pem, alg, "verify");
      return { key: key, said: pem.isPrivate ? "the public half of the pasted private key (the public key alone is "
        + "enough to verify: never hand a private key to a verifier)" : "the pasted public key" };
    }
    const json = readJson(text);
    if (!json) throw problem(MESSAGES.secretForAsymmetric, { alg: alg, needs: algorithm.needs });
    let jwk;
    let said;
    if (json.single) {
      jwk = json.jwks[0];
      said = "the pasted JWK" + (jwk.kid ? " (kid " + jwk.kid + ")" : "");
    } else if (typeof header.kid === "string") {
      jwk = json.jwks.find((candidate) => candidate.kid === header.kid);
      if (!jwk) {
        const kids = json.jwks.map((candidate) => candidate.kid || "no kid").join(", ");
        throw problem(MESSAGES.noKid, { kid: JSON.stringify(header.kid), kids: kids });
      }
      said = "the JWKS's key with the token's kid " + header.kid;
    } else {
      jwk = json.jwks.find((candidate) => fitsAlgorithm(candidate, algorithm));
      if (!jwk) throw problem(MESSAGES.noFittingKey, { alg: alg, needs: algorithm.needs });
      said = "the first key of the JWKS that fits " + alg + " (the token names no kid)";
    }
    // RFC 9864 names Ed25519 as a fully specified alg: the same signatures as EdDSA on that curve.
    if (jwk.alg && jwk.alg !== alg && !(alg === "EdDSA" && jwk.alg === "Ed25519")) throw problem(MESSAGES.jwkAlg, { keyAlg: jwk.alg, alg: alg });
    return { key: await importJwk(jwk, alg, "verify"), said: said };
  }

  function timeChecks(claims, now) {
    const checks = [];
    if (typeof claims.exp !== "number") {
      checks.push(check("exp", "Expiry (exp)", false, "The token has no numeric exp: it would never expire. "
        + "RFC 9068 requires exp in an access token; an API refuses a token without one."));
    } else if (claims.exp <= now) {
      checks.push(check("exp", "Expiry (exp)", false, "Expired " + new Date(claims.exp * 1000).toISOString()
        + ": an API refuses it however good the signature is."));
    } else {
      checks.push(check("exp", "Expiry (exp)", true, "Valid until " + new Date(claims.exp * 1000).toISOString() + "."));
    }
    if (typeof claims.nbf === "number" && claims.nbf > now) {
      checks.push(check("nbf", "Not before (nbf)", false, "Not valid before " + new Date(claims.nbf * 1000).toISOString() + "."));
    } else {
      checks.push(check("nbf", "Not before (nbf)", true, typeof claims.nbf === "number"
        ? "Valid since " + new Date(claims.nbf * 1000).toISOString() + "." : "No nbf: valid from the moment it was issued."));
    }
    return checks;
  }

  // Every check in order; a check that cannot run says why, and the ones after it are left out.
  async function verify(token, keyText) {
    const parts = String(token || "").split(".");
    let header;
    let claims;
    try {
      if (parts.length !== 3) throw new Error("a JWT has 3 parts separated by dots; this has " + parts.length);
      header = JSON.parse(new TextDecoder().decode(bytesOfBase64Url(parts[0])));
      claims = JSON.parse(new TextDecoder().decode(bytesOfBase64Url(parts[1])));
      if (!header || typeof header !== "object" || !claims || typeof claims !== "object") {
        throw new Error("the header and the claims must both be JSON objects");
      }
    } catch (error) {
      return [check("format", "Format", false, "Not a signed JWT: " + error.message + ".")];
    }
    const checks = [check("format", "Format", true,
      "Three base64url parts; the header and the claims are JSON objects anyone can read.")];
    try {
      algorithmOf(header.alg);
    } catch (error) {
      checks.push(check("alg", "Algorithm (alg)", false, error.message));
      return checks;
    }
    checks.push(check("alg", "Algorithm (alg)", true, header.alg + ": the token asks for " + ALGORITHMS[header.alg].needs
      + ". Here the key you paste decides what is accepted; an API fixes its algorithms in advance."));
    let found;
    try {
      found = await verificationKey(keyText, header);
    } catch (error) {
      if (!(error instanceof KeyProblem)) throw error;
      checks.push(check("key", "Key", false, error.message));
      return checks;
    }
    checks.push(check("key", "Key", true, "Checked with " + found.said + "."));
    let valid = false;
    try {
      valid = await subtle().verify(ALGORITHMS[header.alg].signWith, found.key, bytesOfBase64Url(parts[2]),
        ENCODER.encode(parts[0] + "." + parts[1]));
    } catch (error) {
      valid = false;
    }
    checks.push(check("signature", "Signature", valid, valid
      ? "The signature matches: whoever holds the signing key signed exactly this header and these claims."
      : "The signature does not match: the header or claims changed after signing, or another key signed them."));
    return checks.concat(timeChecks(claims, Date.now() / 1000));
  }

  // ---- Generating keys ----

  async function generate(alg) {
    const algorithm = algorithmOf(alg);
    if (algorithm.kind === "secret") {
      return { signing: base64UrlBytes(window.crypto.getRandomValues(new Uint8Array(SECRET_BYTES))), verifying: null };
    }
    const params = algorithm.kind === "RSA"
      ? Object.assign({ modulusLength: RSA_BITS, publicExponent: new Uint8Array([1, 0, 1]) }, algorithm.importAs)
      : algorithm.importAs;
    const pair = await subtle().generateKey(params, true, ["sign", "verify"]);
    const pkcs8 = base64UrlBytes(await subtle().exportKey("pkcs8", pair.privateKey))
      .replace(/-/g, "+").replace(/_/g, "/");
    const padded = pkcs8 + "===".slice((pkcs8.length + 3) % 4);
    const pem = "-----BEGIN PRIVATE KEY-----\n" + padded.match(/.{1,64}/g).join("\n") + "\n-----END PRIVATE KEY-----";
    const publicJwk = await subtle().exportKey("jwk", pair.publicKey);
    delete publicJwk.key_ops;
    delete publicJwk.ext;
    const kid = await thumbprint(publicJwk);
    const published = Object.assign({ kid: kid }, publicJwk, { alg: alg, use: "sig" });
    return { signing: pem, verifying: JSON.stringify({ keys: [published] }, null, 2) };
  }

  window.playgroundJwtCrypto = {
    ALGORITHMS: ALGORITHMS, KeyProblem: KeyProblem, NO_CRYPTO: MESSAGES.noCrypto, fill: fill, sign: sign, verify: verify, generate: generate
  };
})();
