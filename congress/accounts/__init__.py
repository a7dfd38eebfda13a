"""Organiser accounts, roles and the single place where access is decided."""
