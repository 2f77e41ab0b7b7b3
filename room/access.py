"""Who may see the room: a signed-in user whose access token for this API holds the permission read:room (RBAC)."""

from typing import Any

from fastapi import Request

from tokens.verification import Auth0, Unauthenticated, VerifiedToken

ROOM_PERMISSION = "read:room"
NOT_SIGNED_IN = ("Nobody is signed in: the room is for instructors. Log in with an account that holds the permission "
                 f"{ROOM_PERMISSION} (admin@example.com on the built-in tenant).")
NO_ACCESS_TOKEN = ("Your sign-in brought back no access token for this API ({audience}), so there are no permissions "
                   "to check. Log out and log in again.")


def holds_room_permission(session: dict[str, Any]) -> bool:
    """True when the web login session's access token lists read:room: an instructor, who is not an attendee."""
    access_token = session.get("access_token")
    claims = access_token.get("claims") if isinstance(access_token, dict) else None
    permissions = claims.get("permissions") if isinstance(claims, dict) else None
    return isinstance(permissions, list) and ROOM_PERMISSION in permissions


class RoomAccess:
    """Checks the access token of the web login session, or a bearer token, exactly as the API checks tokens."""

    def __init__(self, auth: Auth0) -> None:
        self.auth = auth

    async def require_instructor(self, request: Request) -> None:
        """Return when the visitor may see the room; raise the API's 401 or 403 (AuthError) otherwise."""
        if request.headers.get("authorization"):
            token = await self.auth.verified(request)
        else:
            token = self.session_token(request.session)
        assert token is not None  # auto_error is on: a failed check raised
        self.auth.require_permissions(token, [ROOM_PERMISSION])

    def session_token(self, session: dict[str, Any]) -> VerifiedToken:
        """The access token the web login received from the tenant's token endpoint, still within its lifetime."""
        if not session.get("user"):
            raise Unauthenticated(NOT_SIGNED_IN, "session", error=None)
        access_token = session.get("access_token")
        if not isinstance(access_token, dict) or not isinstance(access_token.get("claims"), dict):
            raise Unauthenticated(NO_ACCESS_TOKEN.format(audience=self.auth.audience), "session")
        # Received straight from the token endpoint over the back channel, and kept in the signed session.
        claims = access_token["claims"]
        self.auth.check_times(claims)
        self.auth.check_issuer_and_audience(claims)
        return VerifiedToken("", access_token.get("header") or {}, claims)
