"""``flask congress ...`` commands: thin wrappers over the services."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

import click
from flask import Flask
from flask.cli import AppGroup

from congress.accounts.models import Role
from congress.core.errors import DomainError
from congress.i18n import ngettext
from congress.mail.cli import add_commands

if TYPE_CHECKING:
    from congress.programme.services import SessionConflict

congress_cli = AppGroup("congress", help="Congress administration commands.")
add_commands(congress_cli)


@congress_cli.command("seed-demo")
@click.option("--force", is_flag=True, help="Delete existing editions and reload the demo.")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) on a non-empty database.")
def seed_demo_command(force: bool, if_empty: bool) -> None:
    """Load the 2014 demo edition (idempotent)."""
    from congress.interchange.demo import DatabaseNotEmpty, database_is_empty, seed_demo

    if if_empty and not force and not database_is_empty():
        click.echo("database not empty; demo edition not loaded")
        return
    try:
        result = seed_demo(force=force)
    except DatabaseNotEmpty as error:
        raise click.ClickException(str(error)) from error
    click.echo(result.message)


@congress_cli.command("create-organiser")
@click.argument("email")
@click.option(
    "--role", type=click.Choice([role.value for role in Role]), required=True, help="Access role."
)
@click.option("--name", default="", help="Name shown in the dashboard and the audit log.")
def create_organiser_command(email: str, role: str, name: str) -> None:
    """Create an organiser; the password is read from the terminal or stdin, never argv."""
    from congress.accounts.services import create_organiser

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = create_organiser(email, password, Role(role), name)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    click.echo(f"organiser {user.email} created with role {user.role.value}")


@congress_cli.command("set-password")
@click.argument("email")
def set_password_command(email: str) -> None:
    """Set an organiser's password (read from the terminal or stdin, never argv)."""
    from congress.accounts.services import set_password

    if sys.stdin.isatty():
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = set_password(email, password)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    click.echo(f"password of {user.email} set; its sessions are closed")


@congress_cli.command("audit-verify")
def audit_verify_command() -> None:
    """Check the audit log's hash chain; name the first broken entry."""
    from congress.audit.log import verify

    result = verify()
    if not result.ok:
        where = f"entry id {result.first_broken_id}" if result.first_broken_id else "chain end"
        raise click.ClickException(
            f"audit chain broken at {where}: {result.reason} ({result.checked} entries verified)"
        )
    click.echo(f"audit chain intact: {result.checked} entries")


@congress_cli.command("purge")
@click.option(
    "--older-than",
    "days",
    type=click.IntRange(min=0),
    default=None,
    metavar="DAYS",
    help="Purge editions that ended more than DAYS ago "
    "(default and maximum: CONGRESS_RETENTION_DAYS, the period the privacy notice states).",
)
def purge_command(days: int | None) -> None:
    """Erase personal data of past editions and old audit entries (keeps counts)."""
    import time

    from congress.accounts import team
    from congress.audit.log import ChainBroken
    from congress.billing import retention as billing_retention
    from congress.cfp import retention as cfp_retention
    from congress.core.clock import now
    from congress.registration import retention

    started = time.monotonic()
    try:
        days = retention.registration_days(days)
    except retention.LongerThanNotice as error:
        raise click.UsageError(str(error)) from error
    events = retention.past_editions(days)
    total = retention.to_purge(events)
    try:
        with click.progressbar(length=total, label="erasing", file=sys.stderr) as bar:
            report = retention.purge(days, progress=bar.update)
    except ChainBroken as error:
        raise click.ClickException(
            f"registrations purged; {error}: audit entries kept (see audit-verify)"
        ) from error
    invitations = team.forget_invitations()
    documents = billing_retention.forget_expired()
    proposals = cfp_retention.purge(now(), days)
    click.echo(
        f"purge: {report.registrations} registrations erased in {report.editions} past "
        f"editions, {report.audit_entries} audit entries older than {report.audit_days} days "
        f"deleted, {invitations} ended team invitations forgotten, {documents} invoices and "
        f"credit notes past their {billing_retention.RETENTION_YEARS} years deleted "
        f"in {time.monotonic() - started:.1f} s"
    )
    click.echo(
        f"purge: {proposals.red_destroyed} TLP:RED proposals' content destroyed, "
        f"{proposals.deleted} rejected or withdrawn proposals deleted"
    )


@congress_cli.command("export")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    metavar="FILE",
    help="Write to FILE (created readable by its owner only) instead of standard output.",
)
def export_command(output: str | None) -> None:
    """Write the current edition as one JSON document (no secrets, no outbox, no audit log)."""
    import json
    import os
    import time

    from congress.edition.queries import current_event
    from congress.interchange import transfer

    started = time.monotonic()
    event = current_event()
    if event is None:
        raise click.ClickException("no edition in the database: nothing to export")
    # On a terminal only: piped or logged, the label alone would be noise before the summary.
    with click.progressbar(
        length=transfer.count_rows(event),
        label="exporting",
        file=sys.stderr,
        hidden=not sys.stderr.isatty(),
    ) as bar:
        document = transfer.export_edition(event, progress=bar.update)
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        # Registrations hold personal (and health) data: never a world-readable file.
        descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
    click.echo(
        f"export: edition {event.slug}: {len(document['talks'])} sessions, "
        f"{len(document['speakers'])} speakers, {len(document['rooms'])} rooms, "
        f"{len(document['registrations'])} registrations, "
        f"{len(document['organisers'])} organisers written to {output or 'standard output'} "
        f"in {time.monotonic() - started:.1f} s",
        # The document owns standard output; the summary must not end up inside it.
        err=output is None,
    )


@congress_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option(
    "--allow-conflicts",
    is_flag=True,
    help="Import a schedule whose sessions conflict (room or speaker taken twice...) "
    "and list the conflicts as warnings, instead of refusing the file.",
)
def import_command(file: str, allow_conflicts: bool) -> None:
    """Load a programme from a frab/pretalx schedule.xml or schedule.json (or an edition
    document written by ``congress export``), detected by content, in one transaction.

    A schedule whose sessions break the programme's conflict rules is refused
    (each conflict named, nothing stored) unless ``--allow-conflicts``."""
    import time
    from pathlib import Path

    from congress.edition.queries import current_event
    from congress.interchange import frab_import, frab_json, frab_read, frab_xml, transfer
    from congress.interchange.frab_schedule import ScheduleError
    from congress.programme.services import SlotConflicts

    started = time.monotonic()
    raw = Path(file).read_bytes()
    try:
        if frab_read.detect_format(raw) == "json":
            document = frab_json.read_json(raw)
            if isinstance(document, dict) and document.get("format") == transfer.FORMAT:
                loaded = transfer.import_edition(document)
                click.echo(
                    f"import: edition {loaded.edition} loaded: {loaded.talks} sessions, "
                    f"{loaded.speakers} speakers, {loaded.registrations} registrations, "
                    f"{loaded.organisers} organisers (+{loaded.organisers_kept} kept, "
                    f"new ones need a password) in {time.monotonic() - started:.1f} s"
                )
                return
            event = current_event()
            schedule = frab_json.schedule_from_json(
                document, fallback_zone=event.timezone if event else None
            )
        else:
            event = current_event()
            schedule = frab_xml.schedule_from_xml(
                raw, fallback_zone=event.timezone if event else None
            )
        with click.progressbar(
            length=len(schedule.events),
            label="importing",
            file=sys.stderr,
            hidden=not sys.stderr.isatty(),
        ) as bar:
            report = frab_import.import_schedule(
                schedule, progress=bar.update, allow_conflicts=allow_conflicts
            )
    except (ScheduleError, transfer.TransferError) as error:
        raise click.ClickException(f"{Path(file).name}: {error}") from error
    except SlotConflicts as error:
        _echo_conflicts("conflict", error.found)
        raise click.ClickException(
            f"{Path(file).name}: {len(error.found)} conflict(s) between sessions, listed "
            "above: nothing imported (--allow-conflicts imports the file anyway)"
        ) from error
    created = f"edition {report.edition} created; " if report.edition_created else ""
    click.echo(
        f"import: {created}{len(schedule.events)} sessions in schedule.{schedule.format}: "
        f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
        f"{report.cancelled} cancelled (published, missing from the file); new rooms "
        f"{report.rooms}, tracks {report.tracks}, speakers {report.speakers}; "
        f"in {time.monotonic() - started:.1f} s"
    )
    # Its own line, in the operator's language: a name alone may join two people.
    click.echo(
        ngettext(
            "%(num)d person merged by name",
            "%(num)d persons merged by name",
            report.merged_by_name,
        )
    )
    _echo_conflicts("warning: conflict kept", report.conflicts)


@congress_cli.command("send-certificates")
def send_certificates_command() -> None:
    """E-mail each attendee checked in at the current edition their attendance certificate,
    once, after the congress's last day (a second run sends only those not sent yet)."""
    from congress.edition.queries import current_event
    from congress.registration.certificates import send_certificates

    event = current_event()
    if event is None:
        raise click.ClickException("no edition in the database: no certificate to send")
    try:
        count = send_certificates(event)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    click.echo(f"send-certificates: edition {event.slug}: {count} certificate(s) queued")


@congress_cli.command("cfp-reminders")
def cfp_reminders_command() -> None:
    """Queue the call for papers' due reminders (co-speakers' and accepted speakers' missing
    answers, three days before each deadline), once per person; run it daily."""
    from congress.cfp.reminders import send_due

    click.echo(f"cfp-reminders: {send_due()} reminder(s) queued")


def _echo_conflicts(label: str, found: Iterable[SessionConflict]) -> None:
    """One line per conflict on standard error: the session, then the rule it breaks."""
    for item in found:
        click.echo(f"{label}: {item.title}: {item.conflict.message}", err=True)


def init_app(app: Flask) -> None:
    app.cli.add_command(congress_cli)
