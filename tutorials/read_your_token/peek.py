"""Look inside a JWT without checking it: fine for reading, never for deciding who someone is."""

import base64
import json
import sys


def decode_part(part: str) -> dict:
    """One base64url-encoded JSON part of a JWT."""
    padded = part + "=" * (-len(part) % 4)
    return json.loads(base64.urlsafe_b64decode(padded))


def peek(token: str) -> tuple[dict, dict]:
    """The JOSE header and the claims of a JWT, unverified."""
    header, claims, _signature = token.split(".")
    return decode_part(header), decode_part(claims)


if __name__ == "__main__":
    header, claims = peek(sys.argv[1])
    print(json.dumps({"header": header, "claims": claims}, indent=2))
