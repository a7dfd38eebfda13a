"""The proposal form: shape only; what the values mean is checked by ``cfp.services``."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from congress.cfp.labels import LANGUAGE_LABELS
from congress.cfp.models import DURATIONS, LANGUAGES, SUBMITTABLE_KINDS
from congress.cfp.services import (
    ABSTRACT_MAX,
    MAX_CO_SPEAKERS,
    NAME_MAX,
    NOTES_MAX,
    ORGANISATION_MAX,
    TITLE_MAX,
    CoSpeakerData,
    SubmissionData,
)
from congress.i18n import lazy_gettext as _l
from congress.programme.labels import DISCLOSURE_CODES, KIND_LABELS
from congress.programme.models import Disclosure

_REQUIRED = DataRequired(message=_l("This field is required."))


def _not_longer(limit: int) -> Length:
    return Length(max=limit, message=_l("This field may not exceed %(n)d characters.", n=limit))


class ProposalForm(FlaskForm):
    """The proposal's own fields, shared by submitting and editing."""

    title = StringField(_l("Title"), validators=[_REQUIRED, _not_longer(TITLE_MAX)])
    abstract = TextAreaField(_l("Abstract"), validators=[_REQUIRED, _not_longer(ABSTRACT_MAX)])
    kind = SelectField(
        _l("Kind of proposal"),
        choices=[SelectChoice(kind.value, KIND_LABELS[kind]) for kind in SUBMITTABLE_KINDS],
    )
    track_id = SelectField(_l("Theme"), coerce=int, validate_choice=False)
    duration_minutes = SelectField(
        _l("Duration"),
        coerce=int,
        choices=[SelectChoice(minutes, _l("%(n)d minutes", n=minutes)) for minutes in DURATIONS],
    )
    language = SelectField(
        _l("Language of the session"),
        choices=[SelectChoice(code, LANGUAGE_LABELS[code]) for code in LANGUAGES],
    )
    disclosure = SelectField(
        _l("Requested disclosure label"),
        choices=[SelectChoice(Disclosure.NONE.value, _l("No label"))]
        + [SelectChoice(label.value, code) for label, code in DISCLOSURE_CODES.items()],
    )
    notes = TextAreaField(_l("Notes to the committee"), validators=[_not_longer(NOTES_MAX)])
    attachment = FileField(
        _l("Attachment (optional, PDF)"), render_kw={"accept": "application/pdf,.pdf"}
    )

    def upload(self, max_bytes: int) -> tuple[bytes | None, str]:
        """The chosen file's first ``max_bytes + 1`` bytes (enough to see it is too large)."""
        upload = self.attachment.data
        if upload is None or not getattr(upload, "filename", ""):
            return None, ""
        data: bytes = upload.stream.read(max_bytes + 1)
        return data, upload.filename or ""

    def has_upload(self) -> bool:
        return bool(getattr(self.attachment.data, "filename", ""))

    def proposal_data(self, max_bytes: int = 0) -> SubmissionData:
        attachment, attachment_name = self.upload(max_bytes) if max_bytes else (None, "")
        return SubmissionData(
            title=self.title.data or "",
            abstract=self.abstract.data or "",
            kind=self.kind.data or "",
            track_id=self.track_id.data or None,
            duration_minutes=self.duration_minutes.data or 0,
            language=self.language.data or "",
            disclosure=self.disclosure.data or "",
            notes=self.notes.data or "",
            attachment=attachment,
            attachment_name=attachment_name,
        )


class EditForm(ProposalForm):
    """The proposal on its private page: its fields, and a way to drop the attachment."""

    remove_attachment = BooleanField(_l("Remove the attachment"))

    def proposal_data(self, max_bytes: int = 0) -> SubmissionData:
        data = super().proposal_data(max_bytes)
        data.remove_attachment = bool(self.remove_attachment.data)
        return data


class SubmissionForm(ProposalForm):
    """A new proposal: the proposal, who submits it and up to four co-speakers."""

    name = StringField(_l("Your name"), validators=[_REQUIRED, _not_longer(NAME_MAX)])
    email = EmailField(_l("Your e-mail address"), validators=[_REQUIRED, _not_longer(254)])
    organisation = StringField(_l("Your organisation"), validators=[_not_longer(ORGANISATION_MAX)])

    def submission_data(self, max_bytes: int = 0) -> SubmissionData:
        data = self.proposal_data(max_bytes)
        data.name = self.name.data or ""
        data.email = self.email.data or ""
        data.organisation = self.organisation.data or ""
        data.co_speakers = [
            CoSpeakerData(
                name=self[f"cospeaker_{n}_name"].data or "",
                email=self[f"cospeaker_{n}_email"].data or "",
                organisation=self[f"cospeaker_{n}_organisation"].data or "",
            )
            for n in co_speaker_numbers()
        ]
        return data


def co_speaker_numbers() -> range:
    return range(1, MAX_CO_SPEAKERS + 1)


# One flat set of fields per co-speaker (cospeaker_1_name...), so that each has its
# own label, id and error like any other field of the page.
for _n in co_speaker_numbers():
    setattr(
        SubmissionForm,
        f"cospeaker_{_n}_name",
        StringField(_l("Co-speaker %(n)d: name", n=_n), validators=[_not_longer(NAME_MAX)]),
    )
    setattr(
        SubmissionForm,
        f"cospeaker_{_n}_email",
        EmailField(_l("Co-speaker %(n)d: e-mail address", n=_n), validators=[_not_longer(254)]),
    )
    setattr(
        SubmissionForm,
        f"cospeaker_{_n}_organisation",
        StringField(
            _l("Co-speaker %(n)d: organisation", n=_n),
            validators=[_not_longer(ORGANISATION_MAX)],
        ),
    )
