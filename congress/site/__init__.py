"""Public pages about the edition as a whole: home, practical information (editable content)."""
