"""Labels of the registration enums in the visitor's language."""

from __future__ import annotations

from flask_babel import LazyString

from congress.i18n import lazy_gettext as _l
from congress.registration.models import JobRole, OrganisationType, RegistrationStatus

ORGANISATION_TYPE_LABELS: dict[OrganisationType, LazyString] = {
    OrganisationType.PUBLIC_HOSPITAL: _l("Public hospital"),
    OrganisationType.PRIVATE_CLINIC: _l("Private clinic"),
    OrganisationType.AGENCY: _l("Regional or national agency"),
    OrganisationType.VENDOR: _l("Vendor or integrator"),
    OrganisationType.CONSULTANCY: _l("Consultancy"),
    OrganisationType.ACADEMIC: _l("Academic"),
    OrganisationType.OTHER: _l("Other"),
}

JOB_ROLE_LABELS: dict[JobRole, LazyString] = {
    JobRole.CISO: _l("CISO (RSSI)"),
    JobRole.CIO: _l("CIO (DSI)"),
    JobRole.DPO: _l("Data protection officer (DPO)"),
    JobRole.PHYSICIAN: _l("Physician"),
    JobRole.ENGINEER: _l("Engineer"),
    JobRole.EXECUTIVE: _l("Executive"),
    JobRole.STUDENT: _l("Student"),
    JobRole.OTHER: _l("Other"),
}

STATUS_LABELS: dict[RegistrationStatus, LazyString] = {
    RegistrationStatus.PENDING: _l("Waiting for e-mail confirmation"),
    RegistrationStatus.CONFIRMED: _l("Confirmed"),
    RegistrationStatus.WAITING: _l("On the waiting list"),
    RegistrationStatus.CANCELLED: _l("Cancelled"),
}
