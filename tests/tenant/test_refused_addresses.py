"""An address just refused for its failed logins is refused again at once, for a moment only."""

import time

from tenant.security.refused_addresses import RecentlyRefused


def test_an_address_is_refused_for_a_moment_then_counted_again():
    refused = RecentlyRefused(seconds=0.2)
    refused.remember("203.0.113.7")
    assert refused.refused("203.0.113.7")
    assert not refused.refused("203.0.113.8")
    time.sleep(0.3)
    assert not refused.refused("203.0.113.7")


def test_a_flood_of_addresses_keeps_only_the_newest():
    refused = RecentlyRefused(seconds=60, capacity=3)
    for number in range(5):
        refused.remember(f"198.51.100.{number}")
    assert [refused.refused(f"198.51.100.{number}") for number in range(5)] == [False, False, True, True, True]
