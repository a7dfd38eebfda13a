"""How long the second step of a login stays locked after wrong codes.

A six-digit TOTP code is a small space (a checked code matches one of up to
three time steps, so about 3 chances in 10^6 per try); only the number of codes
an attacker gets checked protects it. Failures are therefore counted per
account (``User.second_factor_failures``), whatever the address or session,
and are not reset by a correct password, only by a correct second factor or
an administrator setting the password. Only someone who already knows the
password reaches this step, so locks can be long without handing a stranger a
way to shut an organiser out.

The schedule, after ``LOCK_AFTER`` wrong codes in a row: 15, 30, 60, 120 ...
minutes, one more wrong code allowed after each lock, capped at 24 hours.
A guesser who retries the instant each lock ends gets at most 7 codes checked
in any hour (5, then one at +15 min and one at +45 min) and 11 in the first
24 hours (then at +105, +225, +465 and +945 min), then one a day; as the
locks only grow, no later window holds more. tests/security/
test_second_factor_lockout.py counts it with a scripted guesser.
"""

from __future__ import annotations

from datetime import timedelta

from congress.core.errors import DomainError

LOCK_AFTER = 5  # wrong codes in a row before the second step locks
FIRST_LOCK = timedelta(minutes=15)
MAX_LOCK = timedelta(hours=24)
# Worst case for a guesser retrying as soon as each lock ends (see the docstring).
MOST_CODES_PER_HOUR = 7
MOST_CODES_PER_DAY = 11


class SecondFactorLocked(DomainError):
    """The second step is locked: no code, even the right one, is checked.

    The refused attempt is audited (committed before raising); nothing else
    changes, and it does not lengthen the lock, so an owner who retries while
    locked is not punished for it. ``retry_after`` (seconds) feeds the 429's
    Retry-After header: it tells only someone who already knows the password.
    """

    status_code = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, field="code")
        self.retry_after = retry_after


def lock_duration(failures: int) -> timedelta | None:
    """The lock that follows the ``failures``-th wrong code in a row, if any.

    ``None`` below ``LOCK_AFTER``; then ``FIRST_LOCK`` doubled for each wrong
    code beyond it, never more than ``MAX_LOCK``.
    """
    if failures < LOCK_AFTER:
        return None
    doublings = min(failures - LOCK_AFTER, 10)  # 15 min x 2^7 already passes the cap
    return min(FIRST_LOCK * 2**doublings, MAX_LOCK)
