"""The role x permission matrix, cell by cell."""

import pytest

from congress.accounts.models import Role, User
from congress.accounts.permissions import MATRIX, Permission, can

pytestmark = pytest.mark.unit

P = Permission
EXPECTED = {
    Role.ADMIN: set(Permission),
    Role.EDITOR: {
        P.VIEW_DASHBOARD,
        P.EDIT_PROGRAMME,
        P.EDIT_PARTNERS,
        P.EDIT_SITE_CONTENT,
        P.VIEW_STATS,
        P.SEND_MESSAGES,
    },
    Role.DESK: {
        P.VIEW_DASHBOARD,
        P.VIEW_REGISTRATIONS,
        P.VIEW_NEEDS,
        P.EXPORT_REGISTRATIONS,
        P.CHECK_IN,
        P.VIEW_STATS,
        P.PRINT_BADGES,  # badges at the desk, never invoices (MANAGE_BILLING)
    },
    # The committee: reads and scores what it is assigned (cfp.confidentiality), no more.
    Role.REVIEWER: {P.VIEW_DASHBOARD, P.REVIEW_PROPOSALS},
}


class _Anonymous:
    is_authenticated = False
    is_active = False


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("permission", list(Permission))
def test_matrix_cell(role, permission):
    user = User(email="x@y.fr", role=role, active=True, password_hash="-")
    assert can(user, permission) is (permission in EXPECTED[role])


@pytest.mark.parametrize("permission", list(Permission))
def test_anonymous_and_inactive_users_can_nothing(permission):
    assert can(_Anonymous(), permission) is False
    assert can(None, permission) is False
    inactive = User(email="x@y.fr", role=Role.ADMIN, active=False, password_hash="-")
    assert can(inactive, permission) is False


def test_every_role_is_in_the_matrix():
    assert set(MATRIX) == set(Role)
