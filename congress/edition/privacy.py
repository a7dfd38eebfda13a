"""What the privacy notice states: who is responsible, whom to write to, how long data stay.

The notice (``/privacy``) and the purge (``flask congress purge``) both take their
periods from ``retention_policy()``, which reads the configuration keys once for
both: the page cannot promise a period that the purge does not apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from flask import current_app

# French commercial code, art. L123-22: accounting documents and their vouchers
# (invoices among them) are kept ten years. A legal obligation, not a setting.
INVOICE_RETENTION_YEARS: Final = 10


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """How long each kind of personal data is kept."""

    # Registrations (with their needs, check-ins, links and e-mails): days after
    # the last day of their edition, then erased by the purge.
    registration_days: int
    # Audit log entries: days after each entry is written, then deleted by the purge.
    audit_days: int
    # Server access and security logs: applied by the host's log rotation, not by us.
    log_days: int
    invoice_years: int = INVOICE_RETENTION_YEARS


@dataclass(frozen=True, slots=True)
class Controller:
    """The data controller (GDPR art. 13(1)(a) and (b))."""

    name: str
    address: str
    contact: str  # e-mail address for personal-data requests
    dpo_contact: str  # e-mail address of the data protection officer


def retention_policy() -> RetentionPolicy:
    """The periods of the running application's configuration."""
    config = current_app.config
    return RetentionPolicy(
        registration_days=int(config["RETENTION_DAYS"]),
        audit_days=int(config["AUDIT_RETENTION_DAYS"]),
        log_days=int(config["LOG_RETENTION_DAYS"]),
    )


def controller() -> Controller:
    config = current_app.config
    return Controller(
        name=config["CONTROLLER_NAME"],
        address=config["CONTROLLER_ADDRESS"],
        contact=config["PRIVACY_CONTACT"],
        dpo_contact=config["DPO_CONTACT"],
    )
