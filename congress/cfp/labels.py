"""Labels of the call for papers' values in the visitor's language."""

from __future__ import annotations

from flask_babel import LazyString

from congress.cfp.models import SubmissionStatus
from congress.i18n import lazy_gettext as _l

STATUS_LABELS: dict[SubmissionStatus, LazyString] = {
    SubmissionStatus.PENDING: _l("Waiting for e-mail confirmation"),
    SubmissionStatus.SUBMITTED: _l("Submitted"),
    SubmissionStatus.WITHDRAWN: _l("Withdrawn"),
}

LANGUAGE_LABELS: dict[str, LazyString] = {
    "fr": _l("French"),
    "en": _l("English"),
}
