"""The statistics page: exact figures, access by role, constant statement count."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest

from congress.core.clock import set_clock
from congress.edition.models import Event
from congress.extensions import db
from congress.programme.models import Talk
from congress.registration import services as registration_services
from congress.registration import stats as registration_stats
from congress.registration.models import (
    CheckIn,
    JobRole,
    OrganisationType,
    Registration,
    RegistrationStatus,
    TicketCategory,
)
from tests.factories import confirm_token_for, make_category, registration_data
from tests.sql import sql_statements

pytestmark = pytest.mark.integration

APRIL_1, APRIL_2, APRIL_3 = date(2014, 4, 1), date(2014, 4, 2), date(2014, 4, 3)


class _Tables(HTMLParser):
    """Cell texts of every table of a page, by the table's id."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: list[list[str]] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = self.tables.setdefault(dict(attrs).get("id", ""), [])
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._table[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


@pytest.fixture
def frozen() -> Iterator[list[datetime]]:
    """A settable clock: append an instant to make it ``now()``."""
    moments = [datetime(2014, 3, 1, 12, 0, tzinfo=UTC)]
    set_clock(lambda: moments[-1])
    yield moments
    set_clock(None)


def _category(event: Event, slug: str) -> TicketCategory:
    return db.session.scalars(
        db.select(TicketCategory).where(
            TicketCategory.event_id == event.id, TicketCategory.slug == slug
        )
    ).one()


def _talk(slug: str) -> Talk:
    return db.session.scalars(db.select(Talk).where(Talk.slug == slug)).one()


def _register(
    frozen: list[datetime],
    event: Event,
    category: TicketCategory,
    at: datetime,
    *,
    days: list[date],
    kind: OrganisationType,
    job: JobRole,
    confirm: bool = True,
) -> Registration:
    frozen.append(at)
    data = registration_data(
        category,
        f"attendee-{len(frozen)}@chu-exemple.fr",
        days=days,
        organisation_type=kind,
        job_role=job,
    )
    registration = registration_services.register(event, data, language="fr")
    assert registration is not None
    if confirm:
        registration_services.confirm(confirm_token_for(registration))
    return registration


def utc(day: int, hhmm: str, month: int = 3) -> datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime(2014, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def edition(demo, frozen) -> Event:
    """The demo edition with nine registrations, three check-ins and three workshop seats.

    Creation instants straddle local midnights in Le Mans, including the night
    summer time starts (30 to 31 March: UTC+1 before, UTC+2 after).
    """
    event = db.session.scalars(db.select(Event)).one()
    hospitals = _category(event, "etablissements-de-sante")
    agencies = _category(event, "institutions-agences")
    vendors = _category(event, "industriels-prestataires")
    students = _category(event, "etudiants")
    press = make_category(event, capacity=1, name="Presse")
    O, J = OrganisationType, JobRole  # noqa: N806, E741
    a = _register(
        frozen, event, hospitals, utc(10, "10:00"), days=[APRIL_1, APRIL_2],
        kind=O.PUBLIC_HOSPITAL, job=J.CISO,
    )  # fmt: skip
    b = _register(  # 00:30 on 11 March in Le Mans
        frozen, event, hospitals, utc(10, "23:30"), days=[APRIL_1],
        kind=O.PUBLIC_HOSPITAL, job=J.CIO,
    )  # fmt: skip
    c = _register(
        frozen, event, students, utc(12, "09:00"), days=[APRIL_2, APRIL_3],
        kind=O.ACADEMIC, job=J.STUDENT,
    )  # fmt: skip
    _register(  # pending: e-mail never confirmed
        frozen, event, agencies, utc(12, "10:00"), days=[APRIL_1, APRIL_2, APRIL_3],
        kind=O.AGENCY, job=J.DPO, confirm=False,
    )  # fmt: skip
    cancelled = _register(
        frozen, event, vendors, utc(12, "11:00"), days=[APRIL_1, APRIL_2, APRIL_3],
        kind=O.VENDOR, job=J.CISO,
    )  # fmt: skip
    registration_services.cancel(cancelled)
    _register(  # 23:30 on 30 March in Le Mans (summer time)
        frozen, event, vendors, utc(30, "21:30"), days=[APRIL_3],
        kind=O.VENDOR, job=J.ENGINEER,
    )  # fmt: skip
    _register(  # 00:30 on 31 March in Le Mans (summer time)
        frozen, event, vendors, utc(30, "22:30"), days=[APRIL_1],
        kind=O.VENDOR, job=J.EXECUTIVE,
    )  # fmt: skip
    g = _register(
        frozen, event, press, utc(31, "08:00"), days=[APRIL_1, APRIL_2, APRIL_3],
        kind=O.CONSULTANCY, job=J.OTHER,
    )  # fmt: skip
    waiting = _register(  # the press category's only seat is taken: waiting list
        frozen, event, press, utc(31, "09:00"), days=[APRIL_2],
        kind=O.OTHER, job=J.OTHER,
    )  # fmt: skip
    assert waiting.status is RegistrationStatus.WAITING
    sih = _talk("atelier-cartographier-les-flux-du-sih")
    registration_services.add_to_agenda(a, sih)
    registration_services.add_to_agenda(g, sih)
    registration_services.add_to_agenda(c, _talk("atelier-premiers-gestes-investigation"))
    db.session.add_all(
        [
            CheckIn(registration_id=a.id, day=APRIL_1, checked_in_at=utc(1, "07:00", 4)),
            CheckIn(registration_id=b.id, day=APRIL_1, checked_in_at=utc(1, "07:05", 4)),
            CheckIn(registration_id=a.id, day=APRIL_2, checked_in_at=utc(2, "07:00", 4)),
        ]
    )
    db.session.commit()
    return event


def test_timeline_counts_active_registrations_by_local_day(edition):
    series = registration_stats.registrations_over_time(edition)
    assert series[0].day == date(2014, 3, 10)
    assert series[-1].day == date(2014, 3, 31)
    assert [row.day for row in series] == [
        date(2014, 3, 10) + timedelta(days=offset) for offset in range(22)
    ]
    assert [(row.day.day, row.new, row.total) for row in series if row.new] == [
        (10, 1, 1),
        (11, 1, 2),
        (12, 2, 4),
        (30, 1, 5),
        (31, 3, 8),
    ]
    assert series[15].total == 4  # 25 March: no registration that day, the total holds


def test_timeline_since_a_day_starts_there_and_carries_the_earlier_total(edition):
    series = registration_stats.registrations_over_time(edition, since=date(2014, 3, 12))
    assert [row.day for row in series] == [
        date(2014, 3, 12) + timedelta(days=offset) for offset in range(20)
    ]
    assert [(row.day.day, row.new, row.total) for row in series if row.new] == [
        (12, 2, 4),
        (30, 1, 5),
        (31, 3, 8),
    ]
    later = registration_stats.registrations_over_time(edition, since=date(2014, 4, 5))
    assert later == []  # nothing registered in the window: no day to plot


def test_statistics_of_an_edition_without_registrations(demo):
    event = db.session.scalars(db.select(Event)).one()
    figures = registration_stats.edition_stats(event)
    assert figures.timeline == []
    assert [row.count for row in figures.organisation_types] == [0] * len(OrganisationType)
    assert [row.count for row in figures.job_roles] == [0] * len(JobRole)
    assert [(row.expected, row.checked_in) for row in figures.days] == [(0, 0)] * 3
    assert [row.taken for row in figures.workshops] == [0] * 5
    assert [(row.confirmed, row.waiting, row.pending) for row in figures.categories] == [
        (0, 0, 0)
    ] * 6


def test_stats_page_shows_exact_figures(client, edition, login_as):
    login_as("admin")
    response = client.get("/dashboard/stats?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    tables = _tables(html)
    assert tables["table-timeline"] == [
        ["Day", "New registrations", "Total"],
        ["Monday, March 10, 2014", "1", "1"],
        ["Tuesday, March 11, 2014", "1", "2"],
        ["Wednesday, March 12, 2014", "2", "4"],
        ["Sunday, March 30, 2014", "1", "5"],
        ["Monday, March 31, 2014", "3", "8"],
    ]
    assert tables["table-categories"] == [
        ["Category", "Confirmed", "Capacity", "Waiting list", "Unconfirmed e-mail"],
        ["Presse", "1", "1", "1", "0"],  # position 0: added by the test
        ["Healthcare institutions (public and private)", "2", "250", "0", "0"],
        ["Institutions and agencies", "0", "60", "0", "1"],
        ["Vendors and service providers", "2", "80", "0", "0"],
        ["Students", "1", "20", "0", "0"],
        ["Speakers hidden", "0", "60", "0", "0"],
        ["Guests and press hidden", "0", "30", "0", "0"],
    ]
    assert tables["table-organisation-types"] == [
        ["Type of organisation", "Registrations"],
        ["Public hospital", "2"],
        ["Private clinic", "0"],
        ["Regional or national agency", "1"],
        ["Vendor or integrator", "2"],
        ["Consultancy", "1"],
        ["Academic", "1"],
        ["Other", "1"],
    ]
    assert tables["table-job-roles"] == [
        ["Job", "Registrations"],
        ["CISO (RSSI)", "1"],
        ["CIO (DSI)", "1"],
        ["Data protection officer (DPO)", "1"],
        ["Physician", "0"],
        ["Engineer", "1"],
        ["Executive", "1"],
        ["Student", "1"],
        ["Other", "2"],
    ]
    assert tables["table-days"] == [
        ["Day", "Expected", "Checked in"],
        ["Tuesday, April 1, 2014", "4", "2"],
        ["Wednesday, April 2, 2014", "3", "1"],
        ["Thursday, April 3, 2014", "3", "0"],
    ]
    assert tables["table-workshops"] == [
        ["Session", "Seats taken", "Seat limit", "Percent filled"],
        ["Atelier : cartographier les flux de son système d'information hospitalier", "2", "35", "6"],  # noqa: E501
        ["Atelier : préparer un exercice d'hameçonnage éthique", "0", "30", "0"],
        ["Atelier : les premiers gestes de l'investigation après incident", "1", "24", "4"],
        ["Atelier : analyse de risques d'un dispositif médical connecté", "0", "30", "0"],
        ["Atelier : construire et tester son plan de continuité d'activité", "0", "36", "0"],
    ]  # fmt: skip


def test_stats_page_has_one_accessible_chart_per_table(client, edition, login_as):
    login_as("editor")
    html = client.get("/dashboard/stats").get_data(as_text=True)
    assert html.count('role="img"') == 6
    assert html.count('class="data-table"') == 6
    assert html.count("<title id=") == 6
    assert "style=" not in html
    assert "<h1>Statistiques</h1>" in html
    # Aggregates only: nobody's name, address or organisation.
    for personal in ("Curie", "Marie", "chu-exemple.fr", "CHU de Nulle-Part"):
        assert personal not in html


def test_stats_page_without_registrations(client, demo, login_as):
    login_as("desk")
    html = client.get("/dashboard/stats?lang=en").get_data(as_text=True)
    assert "No registrations yet." in html
    assert "No data yet." in html
    assert _tables(html)["table-days"][1:] == [
        ["Tuesday, April 1, 2014", "0", "0"],
        ["Wednesday, April 2, 2014", "0", "0"],
        ["Thursday, April 3, 2014", "0", "0"],
    ]


@pytest.mark.parametrize("role", ["admin", "editor", "desk"])
def test_every_organiser_role_sees_the_statistics(client, demo, login_as, role):
    login_as(role)
    response = client.get("/dashboard/stats")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_anonymous_visitors_are_sent_to_login(client, demo):
    response = client.get("/dashboard/stats")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/dashboard/stats"


def _add_registrations(event: Event, count: int, start: int) -> None:
    """``count`` registrations of every status, spread over days, some checked in."""
    categories = list(
        db.session.scalars(db.select(TicketCategory).where(TicketCategory.event_id == event.id))
    )
    statuses = list(RegistrationStatus)
    rows = []
    for index in range(start, start + count):
        rows.append(
            Registration(
                event_id=event.id,
                category_id=categories[index % len(categories)].id,
                status=statuses[index % len(statuses)],
                first_name="Ada",
                last_name=f"Lovelace {index}",
                email=f"bulk-{index}@chu-exemple.fr",
                organisation="CHU",
                organisation_type=list(OrganisationType)[index % len(OrganisationType)],
                job_role=list(JobRole)[index % len(JobRole)],
                days_mask=1 + index % 7,
                privacy_consent_at=utc(1, "00:00"),
                created_at=utc(1, "12:00") + timedelta(hours=7 * index),
            )
        )
    db.session.add_all(rows)
    db.session.flush()
    db.session.add_all(
        CheckIn(registration_id=row.id, day=APRIL_1)
        for row in rows
        if row.status is RegistrationStatus.CONFIRMED and row.days_mask & 1
    )
    db.session.commit()


def test_statement_count_does_not_grow_with_registrations(client, demo, login_as):
    login_as("admin")
    event = db.session.scalars(db.select(Event)).one()
    _add_registrations(event, 10, 0)
    with sql_statements() as small:
        assert client.get("/dashboard/stats").status_code == 200
    _add_registrations(event, 290, 10)
    assert db.session.scalar(db.select(db.func.count()).select_from(Registration)) == 300
    with sql_statements() as large:
        response = client.get("/dashboard/stats?lang=en")
    assert response.status_code == 200
    assert len(large) == len(small)
    assert len(small) <= 10, small  # user, edition, eight figures
    tables = _tables(response.get_data(as_text=True))
    assert tables["table-timeline"][-1][-1] == str(300 - 300 // 4)  # a quarter cancelled
