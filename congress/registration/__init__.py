"""Attendee registration: categories, double opt-in, waiting list, agenda, GDPR rights."""
