"""The edition of the congress: dates, venue, time zone, programme version."""
