"""Time-based one-time passwords (RFC 6238) as authenticator apps make them: secrets, codes, QR codes, recovery codes."""

import hmac
import re
import secrets
import string
import time

import pyotp
import segno

DIGITS = 6
PERIOD = 30
# Codes from one step before or after now are accepted too: a phone's clock a little off, a code typed as it changed.
SKEW_STEPS = 1
CODE_PATTERN = re.compile(r"[0-9]{6}")
RECOVERY_ALPHABET = string.ascii_uppercase + string.digits
RECOVERY_LENGTH = 24


def new_secret() -> str:
    """A random 160-bit secret in base32, as authenticator apps take it."""
    return pyotp.random_base32(32)


def current_step(now: float | None = None) -> int:
    """The number of the 30-second period that `now` falls in."""
    return int((time.time() if now is None else now) // PERIOD)


def code_at(secret: str, step: int) -> str:
    """The six-digit code of one time step."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=PERIOD).at(step * PERIOD)


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step (now, or one either side) whose code this is, else None."""
    code = code.strip().replace(" ", "")
    if not CODE_PATTERN.fullmatch(code):
        return None
    step = current_step(now)
    for candidate in (step, step - SKEW_STEPS, step + SKEW_STEPS):
        if hmac.compare_digest(code_at(secret, candidate), code):
            return candidate
    return None


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=PERIOD).provisioning_uri(name=account, issuer_name=issuer)


def qr_code_data_uri(text: str) -> str:
    """A QR code of `text`, as an SVG data: URI the page shows inline (drawn here, no outside service)."""
    return segno.make(text, error="m").svg_data_uri(scale=4, dark="#111", light="#fff")


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def new_recovery_code() -> str:
    """A 24-character recovery code, as Auth0 gives one."""
    return "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))


def normalized_recovery_code(code: str) -> str:
    """A recovery code as typed, without spaces or dashes, in capitals."""
    return re.sub(r"[\s-]", "", code).upper()[:64]

