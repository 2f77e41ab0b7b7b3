"""The decoder's workbench in a real Chromium: tokens edited, signed and verified in the page, then tried on the API."""

import base64
import json
import re

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from joserfc import jws, jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import ECKey, KeySet, RSAKey
from playwright.sync_api import Page, expect

ANSWER_TIMEOUT_MS = 15_000


def open_with_alice_token(page: Page, live_server: str) -> str:
    """The decoder opened on Alice's access token, as a panel's "Open in the decoder" link does."""
    answer = page.request.post(f"{live_server}/auth/token",
                               data={"email": "alice@example.com", "password": "alice-demo-1"})
    token = answer.json()["data"]
    page.goto(f"{live_server}/decoder#token={token}")
    expect(page.locator("[data-decoder-verdict]")).to_contain_text("would accept", timeout=ANSWER_TIMEOUT_MS)
    return token


def edit_claims(page: Page, **changes: object) -> None:
    """Change some claims in the workbench's JSON editor."""
    editor = page.locator("[data-workbench-claims]")
    claims = json.loads(editor.input_value())
    claims.update(changes)
    editor.fill(json.dumps(claims, indent=2))


def sign(page: Page, alg: str, key: str | None = None) -> str:
    """Sign the editors' header and claims with a pasted key, or a generated one; the new token as shown above."""
    page.locator("[data-workbench-alg]").select_option(alg)
    if key is None:
        page.get_by_role("button", name="Generate a key").click()
        expect(page.locator("[data-workbench-sign-status]")).to_contain_text(f"Generated a new {alg}")
    else:
        page.locator("[data-workbench-signing-key]").fill(key)
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.locator("[data-workbench-sign-status]")).to_contain_text(f"Signed with {alg}")
    return page.locator("[data-decoder-input]").input_value()


def send(page: Page) -> str:
    """Send the token above to /api/secure; the name of the check that refused it."""
    page.get_by_role("button", name="Send to /api/secure").click()
    refused = page.locator("[data-workbench-refused-by]")
    expect(refused).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    return refused.get_attribute("data-workbench-refused-by")


def verify(page: Page, key: str | None = None) -> dict[str, bool]:
    """Verify the token above with a pasted key (or the one already there): each check, passed or not."""
    if key is not None:
        page.locator("[data-workbench-verify-key]").fill(key)
    page.locator("[data-workbench-checks]").evaluate("list => list.replaceChildren()")
    page.get_by_role("button", name="Verify", exact=True).click()
    expect(page.locator("[data-workbench-checks] li").first).to_be_visible()
    return {item.get_attribute("data-check"): item.get_attribute("data-passed") == "true"
            for item in page.locator("[data-workbench-checks] li").all()}


def verdict_refusal(page: Page, name: str):
    """A failed check in the verdict beside the token."""
    return page.locator(f'[data-decoder-refusals] [data-check="{name}"]')


def test_tokens_edited_and_resigned_are_refused_by_the_api_with_the_check_named(page: Page, live_server: str) -> None:
    open_with_alice_token(page, live_server)
    page.get_by_role("button", name="Send to /api/secure").click()
    expect(page.locator("[data-workbench-status]")).to_contain_text("200", timeout=ANSWER_TIMEOUT_MS)
    assert json.loads(page.locator("[data-workbench-body]").inner_text())["user"]["id"].startswith("auth0|")

    edit_claims(page, aud="https://playground/api", sub="auth0|someone-else")
    sign(page, "HS256")
    assert send(page) == "alg"
    expect(page.locator("[data-workbench-answer] [data-try-reason-summary]")).to_contain_text("accepts RS256 only")
    expect(verdict_refusal(page, "alg")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    assert verify(page) == {"format": True, "alg": True, "key": True, "signature": True, "exp": True, "nbf": True}

    # RS256 with our own key, keeping the tenant's kid: the tenant's key does not match the signature.
    page.locator("[data-workbench-set-kid]").uncheck()
    token = sign(page, "RS256")
    assert "kid" in page.locator("[data-workbench-sign-status]").inner_text()
    assert send(page) == "signature"
    expect(page.locator("[data-workbench-answer] [data-try-reason-summary]")).to_contain_text("does not match")
    expect(verdict_refusal(page, "signature")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)

    # With our key's own kid, the API does not even find a key to check it with.
    page.locator("[data-workbench-set-kid]").check()
    assert sign(page, "RS256") != token
    assert send(page) == "kid"
    expect(page.locator("[data-workbench-answer] [data-try-reason-summary]")).to_contain_text("does not publish")


def test_a_changed_audience_signed_by_nobody_is_refused(page: Page, live_server: str) -> None:
    token = open_with_alice_token(page, live_server)
    header, _, signature = token.split(".")
    edit_claims(page, aud="https://another/api")
    page.locator("[data-workbench-set-kid]").uncheck()
    sign(page, "RS256")
    claims = page.locator("[data-decoder-input]").input_value().split(".")[1]
    # The tenant's own signature over the changed claims: what a token with an edited aud looks like.
    page.locator("[data-decoder-input]").fill(f"{header}.{claims}.{signature}")
    assert send(page) == "signature"
    expect(verdict_refusal(page, "aud")).to_contain_text("https://another/api", timeout=ANSWER_TIMEOUT_MS)


def pem_pair(private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> tuple[str, str]:
    """A private key as PKCS #8 PEM, and its public key as SPKI PEM."""
    private = private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()).decode()
    public = private_key.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


def test_a_pasted_rs256_pem_signs_what_the_pasted_public_key_and_a_library_verify(page: Page, live_server: str) -> None:
    private, public = pem_pair(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    open_with_alice_token(page, live_server)
    token = sign(page, "RS256", private)
    assert all(verify(page, public).values())
    assert "the pasted public key" in page.locator('[data-workbench-checks] [data-check="key"]').inner_text()
    decoded = jwt.decode(token, RSAKey.import_key(public), algorithms=["RS256"])
    assert decoded.claims["sub"].startswith("auth0|")

    _, other = pem_pair(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    assert verify(page, other)["signature"] is False
    expect(page.locator('[data-workbench-checks] [data-check="signature"]')).to_contain_text("does not match")


def test_a_pasted_es256_jwk_signs_what_the_pasted_jwks_verifies(page: Page, live_server: str) -> None:
    key = ECKey.generate_key("P-256", parameters={"kid": "visitor-key-1"})
    open_with_alice_token(page, live_server)
    token = sign(page, "ES256", json.dumps(key.as_dict(private=True)))
    assert json.loads(page.locator("[data-workbench-header]").input_value())["kid"] == "visitor-key-1"
    other = ECKey.generate_key("P-256", parameters={"kid": "visitor-key-2"})
    jwks = {"keys": [other.as_dict(private=False), key.as_dict(private=False)]}
    assert all(verify(page, json.dumps(jwks)).values())
    assert "visitor-key-1" in page.locator('[data-workbench-checks] [data-check="key"]').inner_text()
    assert jws.deserialize_compact(token, KeySet.import_key_set(jwks), algorithms=["ES256"]).payload

    assert verify(page, json.dumps({"keys": [other.as_dict(private=False)]}))["key"] is False
    expect(page.locator('[data-workbench-checks] [data-check="key"]')).to_contain_text("names none of the JWKS")


@pytest.mark.parametrize("alg", ["ES256", "EdDSA", "PS256"])
def test_generated_keys_round_trip(page: Page, live_server: str, alg: str) -> None:
    page.goto(f"{live_server}/decoder")
    token = sign(page, alg)
    assert json.loads(page.locator("[data-workbench-header]").input_value())["alg"] == alg
    jwks = json.loads(page.locator("[data-workbench-verify-key]").input_value())
    assert jwks["keys"][0]["alg"] == alg and "d" not in jwks["keys"][0], "only the public half is shown for verifying"
    assert all(verify(page).values())
    assert jws.deserialize_compact(token, KeySet.import_key_set(jwks), algorithms=[alg]).payload
    assert send(page) == "alg"

    header, claims, signature = token.split(".")
    changed = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
    changed["sub"] = "someone-else"
    forged = f"{header}.{base64.urlsafe_b64encode(json.dumps(changed).encode()).decode().rstrip('=')}.{signature}"
    page.locator("[data-decoder-input]").fill(forged)
    assert verify(page)["signature"] is False
    with pytest.raises(BadSignatureError):
        jws.deserialize_compact(forged, KeySet.import_key_set(jwks), algorithms=[alg])


BAD_SIGNING_KEYS = [
    ("RS256", "-----BEGIN PRIVATE KEY-----\nnot base64 at all!\n-----END PRIVATE KEY-----", "not base64"),
    ("RS256", "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----", "openssl pkcs8 -topk8"),
    ("RS256", "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----",
     "refused this key"),
    ("ES256", '{"kty": "EC", "crv": "P-256", "x": "a", "y": "b"', "not valid JSON"),
    ("ES256", '{"keys": []}', "holds no key"),
    ("RS256", "just a secret", "not a PEM block"),
    ("HS256", "", "needs a secret"),
]


@pytest.mark.parametrize(("alg", "key", "said"), BAD_SIGNING_KEYS)
def test_a_bad_signing_key_is_told_in_words(page: Page, live_server: str, alg: str, key: str, said: str) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/decoder")
    page.locator("[data-workbench-alg]").select_option(alg)
    page.locator("[data-workbench-signing-key]").fill(key)
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.locator("[data-workbench-sign-status]")).to_contain_text(said)
    assert page.locator("[data-decoder-input]").input_value() == ""
    assert not errors


def test_keys_that_do_not_fit_and_bad_jwks_are_told_in_words(page: Page, live_server: str) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    ec_private, ec_public = pem_pair(ec.generate_private_key(ec.SECP256R1()))
    open_with_alice_token(page, live_server)

    page.locator("[data-workbench-alg]").select_option("RS256")
    page.locator("[data-workbench-signing-key]").fill(ec_private)
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.locator("[data-workbench-sign-status]")).to_contain_text("it fits ES256")
    page.locator("[data-workbench-signing-key]").fill(ec_public)
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.locator("[data-workbench-sign-status]")).to_contain_text("This is a public key")

    assert verify(page, ec_public)["key"] is False  # Alice's token is RS256
    expect(page.locator('[data-workbench-checks] [data-check="key"]')).to_contain_text("EC public key")
    certificate = "-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----"
    for pasted, said in [('{"keys": [}', "not valid JSON"), ('{"keys": []}', "holds no key"),
                         ('{"kid": "x"}', "neither a JWK"), (certificate, "openssl x509 -pubkey")]:
        assert verify(page, pasted)["key"] is False
        expect(page.locator('[data-workbench-checks] [data-check="key"]')).to_contain_text(said)

    page.get_by_role("button", name="Use this tenant's JWKS").click()
    expect(page.locator("[data-workbench-verify-key]")).to_have_value(re.compile('"keys"'))
    assert all(verify(page).values())

    # An HS256 token checked with a public key: the algorithm-confusion attack, refused and explained.
    sign(page, "HS256")
    assert verify(page, ec_public)["key"] is False
    expect(page.locator('[data-workbench-checks] [data-check="key"]')).to_contain_text("algorithm confusion")
    assert not errors


def test_the_workbench_works_from_the_keyboard_with_labelled_controls(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/decoder")
    for label in ("Header", "Claims", "Algorithm", "Signing key", "Verification key", "Put the key's id in the header"):
        expect(page.get_by_label(label, exact=False).first).to_be_visible()
    page.get_by_role("textbox", name="Claims (JSON)").fill('{"sub": ')
    page.get_by_label("Algorithm").focus()
    page.keyboard.press("End")  # the last algorithm: EdDSA
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    generate = page.get_by_role("button", name="Generate a key")
    expect(generate).to_be_focused()
    assert generate.evaluate("button => getComputedStyle(button).outlineStyle") != "none", "focus is visible"
    page.keyboard.press("Enter")
    expect(page.locator("[data-workbench-sign-status]")).to_contain_text("Generated a new EdDSA key pair")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("[data-workbench-sign-status]")).to_contain_text("The claims editor does not hold valid JSON")
    page.get_by_role("textbox", name="Claims (JSON)").fill('{"sub": "keyboard"}')
    page.get_by_role("button", name="Sign", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-workbench-sign-status]")).to_contain_text("Signed with EdDSA")
    page.get_by_role("button", name="Verify", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.locator('[data-workbench-checks] [data-check="signature"]')).to_have_attribute("data-passed", "true")


def test_without_web_crypto_the_workbench_says_why(browser, live_server: str) -> None:
    # As on a plain-http address other than localhost, where browsers offer no crypto.subtle.
    context = browser.new_context()
    context.add_init_script("Object.defineProperty(window.crypto, 'subtle', { value: undefined })")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{live_server}/decoder")
        expect(page.locator("[data-workbench-unavailable]")).to_contain_text("secure page (https, or http://localhost)")
        page.locator("[data-workbench-alg]").select_option("ES256")
        page.get_by_role("button", name="Generate a key").click()
        expect(page.locator("[data-workbench-sign-status]")).to_contain_text("no Web Crypto")
        page.get_by_role("button", name="Verify", exact=True).click()
        expect(page.locator("[data-workbench-verify-verdict]")).to_contain_text("Paste a token above first")
        assert not errors
    finally:
        context.close()
