"""``flask congress ...`` commands: thin wrappers over the services."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup

from congress.accounts.models import Role
from congress.core.errors import DomainError
from congress.mail.cli import add_commands

congress_cli = AppGroup("congress", help="Congress administration commands.")
add_commands(congress_cli)


@congress_cli.command("seed-demo")
@click.option("--force", is_flag=True, help="Delete existing editions and reload the demo.")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) on a non-empty database.")
def seed_demo_command(force: bool, if_empty: bool) -> None:
    """Load the 2014 demo edition (idempotent)."""
    from congress.edition.demo import DatabaseNotEmpty, database_is_empty, seed_demo

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
@click.option("--older-than", "days", type=click.IntRange(min=0), required=True, metavar="DAYS")
def purge_command(days: int) -> None:
    """Erase personal data of editions that ended more than DAYS ago (keeps counts)."""
    import time

    from congress.registration import retention

    started = time.monotonic()
    events = retention.past_editions(days)
    total = retention.to_purge(events)
    with click.progressbar(length=total, label="erasing", file=sys.stderr) as bar:
        report = retention.purge(days, progress=bar.update)
    click.echo(
        f"purge: {report.registrations} registrations erased in {report.editions} past "
        f"editions in {time.monotonic() - started:.1f} s"
    )


def init_app(app: Flask) -> None:
    app.cli.add_command(congress_cli)
