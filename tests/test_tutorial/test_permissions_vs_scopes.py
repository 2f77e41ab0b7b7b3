"""The scope and permission checks decide like the table on the page."""

import pytest

from tutorials.permissions_vs_scopes.checks import (
    granted_permissions,
    granted_scopes,
    may_administer_messages,
    may_read_messages,
)

BOB = {"scope": "openid profile email", "permissions": []}
ALICE = {"scope": "openid read:messages", "permissions": ["read:messages"]}
ADMIN = {"scope": "openid read:messages admin:messages", "permissions": ["read:messages", "admin:messages"]}


@pytest.mark.parametrize(("claims", "reads", "administers"), [(BOB, False, False), (ALICE, True, False),
                                                              (ADMIN, True, True)])
def test_demo_users(claims: dict, reads: bool, administers: bool) -> None:
    assert may_read_messages(claims) is reads
    assert may_administer_messages(claims) is administers


def test_a_scope_alone_is_no_permission() -> None:
    claims = {"scope": "admin:messages"}
    assert granted_scopes(claims) == {"admin:messages"}
    assert granted_permissions(claims) == set()
    assert not may_administer_messages(claims)
