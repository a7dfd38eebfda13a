"""Where the published schedule schemas live inside the repository.

They are third-party files (see ``tests/fixtures/schedule-schemas/README.md``), kept in the
repository so that a fresh clone validates its feeds with nothing beside it.
"""

from __future__ import annotations

from pathlib import Path

SCHEDULE_SCHEMAS = Path(__file__).resolve().parent / "fixtures" / "schedule-schemas"
