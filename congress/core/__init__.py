"""Shared kernel: declarative base, domain errors, tokens and clock."""
