"""Fixtures of the call for papers' tests: a frozen clock and an edition whose call is open."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from congress.cfp import services
from congress.core import clock
from congress.edition.models import Event
from tests.cfp import CLOSES, DURING, OPENS
from tests.factories import make_event


@pytest.fixture
def moment(request: pytest.FixtureRequest) -> Iterator[list[datetime]]:
    """The clock, frozen at the module's ``CLOCK_START`` (default: inside the call's window).

    A test moves it by changing ``moment[0]``.
    """
    now = [getattr(request.module, "CLOCK_START", DURING)]
    clock.set_clock(lambda: now[0])
    yield now
    clock.set_clock(None)


@pytest.fixture
def event(app, moment) -> Event:
    """An edition whose call for papers is open at ``DURING``."""
    edition = make_event()
    services.set_call(edition, OPENS, CLOSES)
    return edition


@pytest.fixture
def folder(app) -> Path:
    """Where ``cfp.files`` keeps the encrypted files."""
    return Path(app.config["INSTANCE_PATH"]) / "cfp-files"
