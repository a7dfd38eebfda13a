"""Calendar and schedule feeds: pure builders, exporters and their views."""
