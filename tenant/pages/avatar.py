"""Generated avatars with a user's initials, so profile pictures need no outside host."""

import re

from starlette.requests import Request
from starlette.responses import Response

AVATAR_PATTERN = re.compile(r"^[a-z]{1,2}$")


async def avatar(request: Request) -> Response:
    """A generated avatar with the user's initials, so profile pictures need no outside host."""
    initials = request.path_params["initials"]
    if not AVATAR_PATTERN.match(initials):
        return Response("Not Found", status_code=404)
    hue = sum(map(ord, initials)) * 47 % 360
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">'
        f'<rect width="96" height="96" rx="48" fill="hsl({hue},55%,45%)"/>'
        '<text x="48" y="60" font-family="sans-serif" font-size="38" fill="#fff" text-anchor="middle">'
        f"{initials.upper()}</text></svg>"
    )
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})
