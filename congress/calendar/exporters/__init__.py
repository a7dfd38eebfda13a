"""One small class per export format, found through the explicit registry."""
