"""The failures the room counts: a fixed set of codes, each with its step and advice (tutorials/room/failures.toml)."""

import tomllib
from dataclasses import dataclass
from pathlib import Path

CATALOGUE_FILE = Path(__file__).resolve().parent.parent / "tutorials" / "room" / "failures.toml"


@dataclass(frozen=True)
class FailureKind:
    """One kind of failure: what the instructor reads, the step that teaches it, and what to do."""

    code: str
    title: str
    step: str
    advice: str
    troubleshooting: str | None = None  # the anchor of its entry on /troubleshooting


def load_catalogue(path: Path = CATALOGUE_FILE) -> dict[str, FailureKind]:
    """Every failure kind, by code."""
    entries = tomllib.loads(path.read_text(encoding="utf-8"))
    return {code: FailureKind(code, entry["title"], entry["step"], entry["advice"], entry.get("troubleshooting"))
            for code, entry in entries.items()}


FAILURES = load_catalogue()

# Answers recognised by where they came from, for the pages that note nothing themselves (the built-in tenant's).
ANSWER_CODES = {
    ("POST", "/u/login", 401): "tenant-wrong_password",
    ("POST", "/u/login", 429): "tenant-blocked",
    ("POST", "/u/signup", 400): "tenant-signup_refused",
    ("GET", "/authorize", 400): "tenant-authorize_refused",
    ("POST", "/auth/signup", 400): "signup-other",
    ("POST", "/auth/token", 401): "token-wrong_password",
    **{("POST", "/auth/token", status): "token-refused" for status in (403, 429)},
    ("POST", "/auth/signup", 429): "token-refused",
    **{("POST", path, status): "tenant-trouble" for path in ("/auth/signup", "/auth/token") for status in (502, 503)},
}


def failure_code(method: str, path: str, status: int, noted: object) -> str | None:
    """The catalogue code of an answer: what the site noted, else what its address and status say; None if fine."""
    if isinstance(noted, str) and noted:
        if noted in FAILURES:
            return noted
        # A code from outside the fixed set (an error name the tenant or a URL made up) is never stored as is.
        area = noted.split("-", 1)[0]
        return f"{area}-other" if f"{area}-other" in FAILURES else None
    return ANSWER_CODES.get((method, path.rstrip("/") or "/", status))
