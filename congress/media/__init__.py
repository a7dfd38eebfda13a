"""Uploaded images: decoded, re-encoded, stripped of metadata, stored under content-hashed names."""
