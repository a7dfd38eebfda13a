"""The proposals received by the call for papers, and the call's window and settings.

Programme editors see every proposal's title, kind, requested label, status,
released decision and speakers (with accepted speakers' answers from their
space); a proposal's content is on its own page, for whom
``cfp.confidentiality`` lets read it.
"""

from __future__ import annotations

from flask import render_template, request, url_for
from werkzeug.wrappers import Response

from congress.accounts.permissions import Permission
from congress.cfp import queries, services
from congress.cfp.labels import DECISION_LABELS, PARTICIPATION_LABELS, STATUS_LABELS
from congress.dashboard.actions import save_form
from congress.dashboard.blueprint import bp, needs
from congress.dashboard.cfp_forms import CallForm
from congress.dashboard.wall_clock import utc_instant, wall_time
from congress.edition.queries import current_event_or_404
from congress.i18n import gettext as _
from congress.programme.labels import DISCLOSURE_CODES, KIND_LABELS


@bp.get("/cfp")
@needs(Permission.EDIT_PROGRAMME)
def cfp() -> str:
    event = current_event_or_404()
    return render_template(
        "dashboard/cfp.html",
        event=event,
        call=services.call_for(event),
        submissions=queries.submissions(event),
        kind_labels=KIND_LABELS,
        disclosure_codes=DISCLOSURE_CODES,
        status_labels=STATUS_LABELS,
        decision_labels=DECISION_LABELS,
        participation_labels=PARTICIPATION_LABELS,
    )


@bp.route("/cfp/call", methods=["GET", "POST"])
@needs(Permission.EDIT_EVENT)
def cfp_call() -> Response | tuple[str, int]:
    """Open, move or close the call for papers: its dates and rules.

    The window is a setting of the edition, like its registration window, so it
    needs the edition's permission (administrators), not the programme's: an
    editor reads the proposals but does not decide when they may be sent. The
    dates are typed in the edition's zone and stored as UTC instants.
    """
    event = current_event_or_404()
    call = services.call_for(event)
    if request.method == "POST":
        form = CallForm()
    else:
        initial = {}
        if call is not None:
            initial = {
                "opens_at": wall_time(call.opens_at, event.zone),
                "closes_at": wall_time(call.closes_at, event.zone),
                "rules": call.rules,
                "rules_en": call.rules_en,
                "respond_by": wall_time(call.respond_by, event.zone) if call.respond_by else None,
                "speaker_info": call.speaker_info,
                "speaker_info_en": call.speaker_info_en,
                "technical_setup": call.technical_setup,
                "technical_setup_en": call.technical_setup_en,
            }
        form = CallForm(data=initial)
    status = 200
    if request.method == "POST":
        result = save_form(
            form,
            lambda: services.set_call(
                event,
                utc_instant(form.opens_at.data, event.zone),
                utc_instant(form.closes_at.data, event.zone),
                form.rules.data or "",
                form.rules_en.data or "",
                speakers=services.SpeakerDetails(
                    respond_by=utc_instant(form.respond_by.data, event.zone),
                    info=form.speaker_info.data or "",
                    info_en=form.speaker_info_en.data or "",
                    technical=form.technical_setup.data or "",
                    technical_en=form.technical_setup_en.data or "",
                ),
            ),
            lambda: _("The call for papers is saved."),
            url_for("dashboard.cfp"),
        )
        if not isinstance(result, int):
            return result
        status = result
    return render_template("dashboard/cfp_call.html", event=event, form=form), status
