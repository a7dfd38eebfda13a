"""Imports every dashboard view module so their routes join the blueprint."""

from congress.dashboard import (  # noqa: F401
    audit,
    badges,
    categories,
    cfp,
    cfp_review,
    checkin,
    entities,
    exports,
    home,
    invoices,
    messages,
    organiser,
    partners,
    programme,
    registrations,
    site_content,
    stats,
    team,
)
from congress.dashboard.blueprint import bp

__all__ = ["bp"]
