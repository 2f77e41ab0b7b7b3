"""Read what an access token allows: the `scope` string and the `permissions` list."""


def granted_scopes(claims: dict) -> set[str]:
    """The scopes the tenant granted, from the space-separated `scope` claim."""
    return set(claims.get("scope", "").split())


def granted_permissions(claims: dict) -> set[str]:
    """The user's RBAC permissions for this API, from the `permissions` claim."""
    return set(claims.get("permissions", []))


def may_read_messages(claims: dict) -> bool:
    """`/api/scoped`: the client asked for `read:messages` and was granted it."""
    return "read:messages" in granted_scopes(claims)


def may_administer_messages(claims: dict) -> bool:
    """`/api/admin`: the user holds `admin:messages`, whatever the client asked for."""
    return "admin:messages" in granted_permissions(claims)
