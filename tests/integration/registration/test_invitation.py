"""What a registration tells the calendar for its invitation (``registration.invitation``)."""

from datetime import date

import pytest

from congress.calendar.invitation import InvitationFacts
from congress.registration import services
from congress.registration.invitation import invitation_attachment, invitation_facts
from tests.factories import make_category, make_event, make_registration

pytestmark = pytest.mark.integration


def test_invitation_facts_are_the_attendee_days_and_edition_as_plain_values(app):
    event = make_event(acronym="", name="Congrès de test", venue="", city="Le Mans")
    registration, _ = make_registration(
        event,
        make_category(event),
        "faits@chu-exemple.fr",
        days=[date(2014, 4, 3), date(2014, 4, 1)],
    )
    services.reissue_feed(registration)

    facts = invitation_facts(registration, organizer="no-reply@apssis.example")

    assert facts == InvitationFacts(
        uid=registration.uid,
        sequence=1,
        attendee_name="Marie Curie",
        attendee_email="faits@chu-exemple.fr",
        days=(date(2014, 4, 1), date(2014, 4, 3)),
        timezone="Europe/Paris",
        summary="Congrès de test – Le Mans",
        location="1 rue de la Paix, Le Mans",
        organizer_name="Congrès de test",
        organizer_address="no-reply@apssis.example",
    )


def test_invitation_attachment_is_sent_by_the_configured_sender(app):
    app.config["MAIL_SENDER"] = "Congrès APSSIS <congres@apssis.example>"
    app.config["UID_DOMAIN"] = "congress.test"
    event = make_event()
    registration, _ = make_registration(event, make_category(event), "piece@chu-exemple.fr")

    attachment = invitation_attachment(registration)

    assert attachment.filename == "invitation.ics"
    assert attachment.content_type == "text/calendar; method=REQUEST; charset=utf-8"
    lines = attachment.content.replace("\r\n ", "").split("\r\n")
    assert 'ORGANIZER;CN="Congrès APSSIS":mailto:congres@apssis.example' in lines
    assert f"UID:{registration.uid}-2014-04-01@congress.test" in lines
