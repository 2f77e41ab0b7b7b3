"""The client address: the peer when no proxy is trusted, else the entry the outermost trusted proxy appended."""

import pytest

from server.addresses import client_address, forwarded_hops

PEER = "192.0.2.10"


@pytest.mark.parametrize(("lines", "hops", "expected"), [
    ([], 0, PEER),
    (["203.0.113.5"], 0, PEER),  # nobody in front: the header is the client's own words
    (["203.0.113.5"], 1, "203.0.113.5"),
    (["10.0.0.1, 203.0.113.5"], 1, "203.0.113.5"),
    (["10.0.0.1", "203.0.113.5"], 1, "203.0.113.5"),  # header lines merged in order
    (["10.0.0.1, 203.0.113.5, 198.51.100.1"], 2, "203.0.113.5"),  # two proxies: the outer one's entry
    (["203.0.113.5"], 2, "203.0.113.5"),  # fewer entries than proxies: the farthest known
    (["203.0.113.5, not-an-ip"], 1, "203.0.113.5"),
    (["unknown, ,"], 1, PEER),
    (["2001:db8::1"], 1, "2001:db8::1"),
])
def test_client_address(lines, hops, expected):
    assert client_address(PEER, lines, hops) == expected


def test_forwarded_hops_keeps_addresses_only():
    assert forwarded_hops(["a, 10.0.0.1", " 2001:db8::2 ,\x80"]) == ["10.0.0.1", "2001:db8::2"]
