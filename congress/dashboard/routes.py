"""Imports every dashboard view module so their routes join the blueprint."""

from congress.dashboard import (  # noqa: F401
    audit,
    checkin,
    entities,
    home,
    partners,
    programme,
    registrations,
    site_content,
    stats,
)
from congress.dashboard.blueprint import bp

__all__ = ["bp"]
