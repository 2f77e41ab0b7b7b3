"""Read a namespaced custom claim from verified access-token claims."""

NAMESPACE = "https://playground.example/"


def email_from(claims: dict) -> str | None:
    """The email the Action added, or None when the token has none."""
    return claims.get(f"{NAMESPACE}email")
