"""One address's count of new visitors holds however many other addresses the room meets."""

from room.recording import MAX_ADDRESSES_COUNTED, NewcomerLimit

BUSY = "198.51.100.99"


def other_address(number: int) -> str:
    """A distinct address from 10.0.0.0/8."""
    return f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"


def test_many_addresses_do_not_reset_a_busy_address() -> None:
    limit = NewcomerLimit(per_address=3)
    assert [limit.admit(BUSY) for _ in range(4)] == [True, True, True, False]
    refused_again = []
    for number in range(MAX_ADDRESSES_COUNTED + 10):
        assert limit.admit(other_address(number))
        refused_again.append(not limit.admit(BUSY))
    assert all(refused_again)


def test_the_address_seen_longest_ago_is_forgotten_first() -> None:
    limit = NewcomerLimit(per_address=1)
    assert limit.admit("203.0.113.1") and not limit.admit("203.0.113.1")
    for number in range(MAX_ADDRESSES_COUNTED):
        limit.admit(other_address(number))
    assert limit.admit("203.0.113.1"), "dropped from the full table, so counted afresh"
    assert not limit.admit(other_address(MAX_ADDRESSES_COUNTED - 1))
