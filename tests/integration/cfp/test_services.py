"""Call-for-papers rules: the window, checks, confirmations, editing and withdrawing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from congress.audit.models import AuditEntry
from congress.cfp import services
from congress.cfp.models import Submission, SubmissionStatus, SubmissionToken
from congress.core.errors import Conflict, Expired, NotFound
from congress.core.field_errors import FieldErrors
from congress.edition.models import Event
from congress.extensions import db
from tests.cfp import CLOSES, DURING, OPENS, link, mails
from tests.factories import make_event, make_track

pytestmark = pytest.mark.integration

SECRET = "Chiffrement des PACS par un rançongiciel, indicateurs internes"


@pytest.fixture
def event(app, moment) -> Event:
    edition = make_event()
    services.set_call(edition, OPENS, CLOSES, "Règles", "Règlement")
    return edition


def data(**overrides: object) -> services.SubmissionData:
    values: dict[str, object] = {
        "title": "Sauvegardes hors ligne à l'hôpital",
        "abstract": "Retour d'expérience sur trois ans.",
        "kind": "talk",
        "track_id": None,
        "duration_minutes": 30,
        "language": "fr",
        "disclosure": "tlp_clear",
        "notes": "Disponible le 2 avril.",
        "name": "Alice Martin",
        "email": "Alice@CHU-Test.fr",
        "organisation": "CHU de test",
        "co_speakers": [],
    }
    values.update(overrides)
    return services.SubmissionData(**values)  # type: ignore[arg-type]


def submitted(event: Event, **overrides: object) -> tuple[Submission, str]:
    """A confirmed proposal and its private-link token."""
    submission = services.submit(event, data(**overrides), language="fr")
    outcome = services.confirm(link(mails("cfp_confirm")[-1], "/cfp/confirm/"))
    assert outcome.manage_token is not None
    return submission, outcome.manage_token


def test_submit_before_the_window_is_refused(event, moment):
    moment[0] = datetime(2013, 9, 30, 12, 0, tzinfo=UTC)

    with pytest.raises(Conflict) as refused:
        services.submit(event, data(), language="fr")

    assert str(refused.value.message) == "L’appel à communications n’est pas encore ouvert."
    assert db.session.scalar(db.select(db.func.count(Submission.id))) == 0


def test_submit_at_the_closing_instant_is_refused(event, moment):
    moment[0] = CLOSES

    with pytest.raises(Conflict) as refused:
        services.submit(event, data(), language="fr")

    assert str(refused.value.message) == (
        "L’appel à communications est clos\u202f: les propositions ne sont plus acceptées."
    )


def test_submit_without_a_call_is_refused(app, moment):
    with pytest.raises(Conflict):
        services.submit(make_event(), data(), language="fr")


def test_submit_reports_every_wrong_field_at_once(event):
    other_track = make_track(make_event(), "Ailleurs")

    with pytest.raises(FieldErrors) as refused:
        services.submit(
            event,
            data(
                title="  ",
                kind="keynote",
                duration_minutes=25,
                language="de",
                disclosure="secret",
                track_id=other_track.id,
                email="pas-une-adresse",
            ),
            language="fr",
        )

    assert [(e.field, str(e.message)) for e in refused.value.errors] == [
        ("title", "Ce champ est obligatoire."),
        ("kind", "Choisissez l’un des types de proposition."),
        ("track_id", "Choisissez l’un des thèmes de l’appel."),
        ("duration_minutes", "Choisissez l’une des durées proposées."),
        ("language", "Choisissez le français ou l’anglais."),
        ("disclosure", "Choisissez l’un des labels de diffusion."),
        ("email", "Saisissez une adresse e-mail valide."),
    ]
    assert mails("cfp_confirm") == []


def test_submit_refuses_a_co_speaker_with_the_submitters_address(event):
    with pytest.raises(FieldErrors) as refused:
        services.submit(
            event,
            data(co_speakers=[services.CoSpeakerData("Bob", "alice@chu-test.fr")]),
            language="fr",
        )

    assert [(e.field, str(e.message)) for e in refused.value.errors] == [
        ("cospeaker_1_email", "Chaque intervenant doit avoir sa propre adresse e-mail.")
    ]


def test_submit_refuses_a_fifth_co_speaker(event):
    people = [services.CoSpeakerData(f"P{n}", f"p{n}@test.fr") for n in range(1, 6)]

    with pytest.raises(FieldErrors) as refused:
        services.submit(event, data(co_speakers=people), language="fr")

    assert [(e.field, str(e.message)) for e in refused.value.errors] == [
        ("cospeaker_5_name", "Une proposition compte au plus 4 co-intervenants.")
    ]


def test_submit_stores_a_pending_proposal_and_mails_a_confirm_link(event):
    track = make_track(event, "Gouvernance")

    submission = services.submit(
        event,
        data(
            track_id=track.id,
            co_speakers=[
                services.CoSpeakerData("", "", ""),
                services.CoSpeakerData("Bob Durand", "bob@test.fr", "ARS"),
            ],
        ),
        language="en",
    )

    assert submission.status is SubmissionStatus.PENDING
    assert submission.email == "alice@chu-test.fr"
    assert submission.track_id == track.id
    assert [(s.role.value, s.name, s.confirmed_at) for s in submission.speakers] == [
        ("submitter", "Alice Martin", None),
        ("co_speaker", "Bob Durand", None),
    ]
    [message] = mails("cfp_confirm")
    assert message.to_address == "alice@chu-test.fr"
    assert message.language == "en"
    assert message.subject == "Confirm your proposal for TEST"
    token = link(message, "/cfp/confirm/")
    stored = db.session.scalars(db.select(SubmissionToken.token_hash)).all()
    assert token not in stored  # only its hash
    assert mails("cfp_cospeaker") == []  # co-speakers hear of it once the address is proven


def test_confirm_submits_and_asks_each_co_speaker(event, moment):
    services.submit(
        event,
        data(co_speakers=[services.CoSpeakerData("Bob Durand", "bob@test.fr")]),
        language="fr",
    )

    outcome = services.confirm(link(mails("cfp_confirm")[0], "/cfp/confirm/"))

    submission = outcome.submission
    assert submission.status is SubmissionStatus.SUBMITTED
    assert submission.confirmed_at == DURING
    assert submission.submitter.confirmed_at == DURING
    [received] = mails("cfp_received")
    assert f"/cfp/s/{outcome.manage_token}" in received.body_text
    [asked] = mails("cfp_cospeaker")
    assert asked.to_address == "bob@test.fr"
    assert services.find_token(outcome.manage_token, services.SubmissionTokenPurpose.MANAGE)


def test_confirm_twice_changes_nothing_the_second_time(event):
    services.submit(event, data(), language="fr")
    token = link(mails("cfp_confirm")[0], "/cfp/confirm/")
    services.confirm(token)

    again = services.confirm(token)

    assert again.manage_token is None
    assert len(mails("cfp_received")) == 1


def test_co_speaker_confirms_by_their_own_link(event):
    submission, _ = submitted(
        event, co_speakers=[services.CoSpeakerData("Bob Durand", "bob@test.fr")]
    )
    token = link(mails("cfp_cospeaker")[0], "/cfp/speaker-confirm/")

    speaker = services.confirm_co_speaker(token)

    assert speaker.name == "Bob Durand"
    assert speaker.confirmed_at == DURING
    assert [s.confirmed_at is not None for s in submission.speakers] == [True, True]


def test_a_co_speaker_link_does_not_open_the_private_page(event):
    submitted(event, co_speakers=[services.CoSpeakerData("Bob Durand", "bob@test.fr")])
    token = link(mails("cfp_cospeaker")[0], "/cfp/speaker-confirm/")

    with pytest.raises(NotFound):
        services.find_token(token, services.SubmissionTokenPurpose.MANAGE)


def test_update_changes_the_proposal_before_the_deadline(event):
    submission, _ = submitted(event)

    services.update(submission, data(title="Nouveau titre", duration_minutes=45))

    assert (submission.title, submission.duration_minutes) == ("Nouveau titre", 45)
    entry = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "cfp.updated")
    ).one()
    assert entry.changes == {
        "duration_minutes": [30, 45],
        "title": ["Sauvegardes hors ligne à l'hôpital", "Nouveau titre"],
    }


def test_update_after_the_deadline_is_refused(event, moment):
    submission, _ = submitted(event)
    moment[0] = CLOSES

    with pytest.raises(Conflict) as refused:
        services.update(submission, data(title="Trop tard"))

    assert str(refused.value.message) == (
        "L’appel à communications est clos\u202f: les propositions ne peuvent plus être modifiées."
    )
    db.session.refresh(submission)
    assert submission.title == "Sauvegardes hors ligne à l'hôpital"


def test_withdraw_after_the_deadline_is_final(event, moment):
    submission, _ = submitted(
        event, co_speakers=[services.CoSpeakerData("Bob Durand", "bob@test.fr")]
    )
    co_token = link(mails("cfp_cospeaker")[0], "/cfp/speaker-confirm/")
    moment[0] = CLOSES

    services.withdraw(submission)

    assert submission.status is SubmissionStatus.WITHDRAWN
    assert submission.withdrawn_at == CLOSES
    with pytest.raises(Conflict):
        services.withdraw(submission)
    with pytest.raises(Conflict):
        services.update(submission, data())
    with pytest.raises(NotFound):
        services.confirm_co_speaker(co_token)


def test_amber_abstract_and_notes_stay_out_of_mails_and_audit(event):
    submitted(
        event,
        abstract=SECRET,
        notes="Indicateurs à ne pas diffuser",
        disclosure="tlp_amber",
        co_speakers=[services.CoSpeakerData("Bob Durand", "bob@test.fr")],
    )

    sent = mails("cfp_confirm") + mails("cfp_received") + mails("cfp_cospeaker")
    assert len(sent) == 3
    for message in sent:
        assert "Sauvegardes hors ligne" in message.body_text
        assert SECRET not in message.body_text + message.body_html
        assert "Indicateurs" not in message.body_text + message.body_html
    entries = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action.like("cfp.%")))
    assert all(
        "abstract" not in entry.changes and "notes" not in entry.changes for entry in entries
    )


def test_clear_abstract_is_in_the_confirm_mail(event):
    services.submit(event, data(abstract=SECRET), language="fr")

    assert SECRET in mails("cfp_confirm")[0].body_text


def test_confirm_link_expires_after_a_week(event, moment):
    services.submit(event, data(), language="fr")
    token = link(mails("cfp_confirm")[0], "/cfp/confirm/")
    moment[0] = datetime(2013, 12, 8, 9, 0, tzinfo=UTC)

    with pytest.raises(Expired):
        services.confirm(token)

    assert db.session.scalars(db.select(Submission.status)).one() is SubmissionStatus.PENDING
