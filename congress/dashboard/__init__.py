"""Organisers' dashboard: UI only; rules live in the domain services."""
