"""Tamper-evident audit log: who changed what, chained by hash."""
