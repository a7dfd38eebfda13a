"""Password rules for organiser accounts.

Length first (12 to 1,024 characters), then zxcvbn's estimate, which knows the
most common passwords, keyboard walks, dictionary words and the account's own
e-mail and name: anything it scores below 3 ("safely unguessable") is refused.
"""

from __future__ import annotations

from collections.abc import Sequence

from congress.core.errors import DomainError
from congress.i18n import lazy_gettext as _l

MIN_LENGTH = 12
MAX_LENGTH = 1024
MIN_SCORE = 3


def check_password(password: str, user_inputs: Sequence[str] = ()) -> None:
    if len(password) < MIN_LENGTH:
        raise DomainError(
            _l("The password must be at least %(n)d characters long.", n=MIN_LENGTH),
            field="password",
        )
    if len(password) > MAX_LENGTH:
        raise DomainError(
            _l("The password may not exceed %(n)d characters.", n=MAX_LENGTH), field="password"
        )
    # Imported here, not at the top: its dictionaries cost ~12 MiB per web worker otherwise.
    from zxcvbn import zxcvbn

    # zxcvbn's cost grows with length; the first 100 characters decide the score.
    result = zxcvbn(password[:100], user_inputs=[value for value in user_inputs if value])
    if result["score"] < MIN_SCORE:
        raise DomainError(
            _l(
                "This password is too easy to guess (common password, word or pattern). "
                "Choose a longer passphrase."
            ),
            field="password",
        )
