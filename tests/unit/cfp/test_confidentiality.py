"""Which labels keep a proposal's abstract and notes out of e-mails and the audit log."""

from __future__ import annotations

import pytest

from congress.cfp.confidentiality import content_may_leave
from congress.programme.models import Disclosure

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("label", "may_leave"),
    [
        (Disclosure.NONE, True),
        (Disclosure.TLP_CLEAR, True),
        (Disclosure.TLP_GREEN, True),
        (Disclosure.TLP_AMBER, False),
        (Disclosure.TLP_RED, False),
        (Disclosure.CHATHAM_HOUSE, True),
    ],
)
def test_content_may_leave_by_label(label: Disclosure, may_leave: bool):
    assert content_may_leave(label) is may_leave
