"""Network addresses: loopback hosts, the client address that lockouts and rate limits key on, the proxies trusted."""

from ipaddress import ip_address
from typing import Any

from starlette.types import Scope

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_ip_address(value: str) -> bool:
    """True for an IPv4 or IPv6 address."""
    try:
        ip_address(value)
    except ValueError:
        return False
    return True


def is_loopback_host(host: str) -> bool:
    """True for `localhost`, `*.localhost`, 127.0.0.0/8 and ::1."""
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def forwarded_hops(header_lines: list[str]) -> list[str]:
    """Every X-Forwarded-For entry, all header lines merged in order; entries that are not IP addresses dropped."""
    hops = [hop.strip() for line in header_lines for hop in line.split(",")]
    return [hop for hop in hops if is_ip_address(hop)]


def scope_client_address(scope: Scope, trusted_hops: int) -> str | None:
    """client_address for an ASGI request: its peer and every X-Forwarded-For line."""
    peer = scope["client"][0] if scope.get("client") else None
    forwarded = [value.decode("latin-1") for name, value in scope["headers"] if name == b"x-forwarded-for"]
    return client_address(peer, forwarded, trusted_hops)


def client_address(peer: str | None, forwarded_for: list[str], trusted_hops: int) -> str | None:
    """The address lockouts and rate limits key on, which the client cannot choose."""
    # With no proxy trusted it is the peer of the connection. Behind `trusted_hops` proxies, each appending the
    # address it received from, it is the entry the outermost of them appended: the entries before it are the client's
    # to write.
    hops = forwarded_hops(forwarded_for) if trusted_hops > 0 else []
    if not hops:
        return peer
    return hops[-min(trusted_hops, len(hops))]


def uvicorn_proxy_options(trusted_hops: int) -> dict[str, Any]:
    """uvicorn's proxy options: the Procfile's `--proxy-headers --forwarded-allow-ips='*'` behind proxies, else none."""
    # Without a proxy, X-Forwarded-* come from the client itself, even on a loopback connection (a same-host proxy
    # that passes the client's header through): neither the address nor the scheme may be taken from them.
    if trusted_hops > 0:
        return {"proxy_headers": True, "forwarded_allow_ips": "*"}
    return {"proxy_headers": False}
