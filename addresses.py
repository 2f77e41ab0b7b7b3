"""Network addresses: loopback hosts, and the client address that lockouts and rate limits key on."""

from ipaddress import ip_address

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
