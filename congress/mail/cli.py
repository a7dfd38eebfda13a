"""``flask congress send-mail [--loop]``: the delivery worker on the command line.

One pass by default (cron-friendly); ``--loop`` polls until SIGTERM or Ctrl-C,
finishing the message in flight and handing the rest of its batch back, so a
deployment can stop the worker at any time without losing or stranding mail.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

import click
from sqlalchemy.exc import SQLAlchemyError

from congress.extensions import db
from congress.mail.delivery import deliver_due


def add_commands(group: click.Group) -> None:
    """Register the mail commands on ``group`` (the ``congress`` AppGroup)."""

    @group.command("send-mail")
    @click.option("--loop", is_flag=True, help="Keep polling until SIGTERM or Ctrl-C.")
    @click.option(
        "--interval",
        type=click.FloatRange(min=0.01),
        default=5.0,
        show_default=True,
        help="Seconds between polls with --loop.",
    )
    @click.option(
        "--batch",
        type=click.IntRange(min=1),
        default=50,
        show_default=True,
        help="Messages claimed per pass.",
    )
    def send_mail_command(loop: bool, interval: float, batch: int) -> None:
        """Deliver the due messages of the outbox (SMTP, or instance/outbox/*.eml)."""
        if not loop:
            click.echo(deliver_due(None, batch=batch).summary())
            return
        _run_loop(interval, batch)


def _run_loop(interval: float, batch: int) -> None:
    stop = threading.Event()

    def request_stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, request_stop)
    click.echo(f"send-mail: polling every {interval:g} s; SIGTERM or Ctrl-C stops")
    try:
        while not stop.is_set():
            try:
                report = deliver_due(None, batch=batch, stop=stop.is_set)
            except SQLAlchemyError as error:
                # The database restarting must not end the worker: wait and retry.
                db.session.rollback()
                name = type(error).__name__
                click.echo(f"send-mail: database error ({name}); retrying", err=True)
                stop.wait(interval)
                continue
            if report.claimed or report.gave_up:
                click.echo(report.summary())
            if report.claimed < batch:  # a full batch means more may be due at once
                stop.wait(interval)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    click.echo("send-mail: stopped")
