"""The `flask forum ...` commands."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from forum.errors import ValidationError
from forum.extensions import db
from forum.timeutil import utcnow
from forum.unit_of_work import committed

forum_cli = AppGroup("forum", help="Outflow administration commands.")


@forum_cli.command("seed-demo")
@click.option("--first-start", is_flag=True,
              help="Do nothing when the forum already has categories (used by `make run`).")
def seed_demo_command(first_start: bool) -> None:
    """Load demo categories, members, threads and posts. Safe to run twice."""
    from forum import demo
    from forum.boards.models import Category

    if first_start and db.session.scalar(select(Category.id).limit(1)) is not None:
        click.echo("The forum already has categories; demo data not loaded.")
        return
    report = demo.seed()
    db.session.commit()
    click.echo(report)


@forum_cli.command("create-user")
@click.argument("name")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(["member", "clinic_staff", "moderator", "admin"]),
              default="member", show_default=True)
@click.option("--clinic", "clinic_name", default=None,
              help="The clinic a clinic_staff member works for; created when new.")
@click.option("--password", default=None, help="Prompted for when not given.")
def create_user_command(name: str, email: str, role: str, clinic_name: str | None,
                        password: str | None) -> None:
    """Create a verified account with the given role."""
    from forum.admin.services import check_clinic_name, clinic_named, create_clinic
    from forum.auth import services

    if role == "clinic_staff" and not clinic_name:
        raise click.UsageError("--clinic is required for the clinic_staff role.")
    if clinic_name and role != "clinic_staff":
        raise click.UsageError("--clinic only goes with --role clinic_staff.")
    if clinic_name:
        try:
            clinic_name = check_clinic_name(clinic_name)
        except ValidationError as error:
            raise click.UsageError(f"--clinic: {error.message}") from None
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        # The same clinic whatever the case or spacing, as the admin page has it.
        clinic = clinic_named(clinic_name) if clinic_name else None
        if clinic_name and clinic is None:
            clinic = create_clinic(None, clinic_name)
        user = services.create_user(name, email, password, role=role, clinic=clinic,
                                    verified=True)
    except ValidationError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Created {user.role} {user.username} <{user.email}>"
               + (f" for {clinic.name}" if clinic else "") + ".")


@forum_cli.command("check-links")
@click.option("--timeout", default=5.0, show_default=True, help="Seconds to wait for each link.")
@click.option("--workers", default=8, show_default=True, help="Links checked at the same time.")
@click.option("--now", is_flag=True,
              help="Check here and print a summary, instead of queueing the job.")
def check_links_command(timeout: float, workers: int, now: bool) -> None:
    """Check every pinned resource link and mark the dead ones for staff and moderators."""
    from flask import current_app

    from forum import jobs
    from forum.resources.checker import check_all

    if now:
        summary = check_all(timeout=timeout, workers=workers)
        db.session.commit()
        click.echo(f"Checked {summary['ok'] + summary['dead']} links: "
                   f"{summary['ok']} answer, {summary['dead']} look dead.")
        return
    jobs.enqueue("resources.check_links", timeout=timeout, workers=workers)
    db.session.commit()
    config = current_app.config
    if config["JOBS_REDIS_URL"]:
        click.echo(f"Queued the link check on {config['JOBS_QUEUE']}; "
                   "a `flask forum worker` will run it.")
    else:
        click.echo("JOBS_REDIS_URL is not set, so the link check ran here; "
                   "the resources page shows the verdicts (--now prints a summary).")


@forum_cli.command("send-reminders")
@click.option("--now", is_flag=True,
              help="Send here and print how many mails went, instead of queueing the job.")
def send_reminders_command(now: bool) -> None:
    """Mail members whose treatment-report follow-up fell due (once per interval). Run daily."""
    from flask import current_app

    from forum import jobs
    from forum.outcomes.reminders import send_reminders

    if now:
        sent = send_reminders()
        db.session.commit()
        click.echo(f"Sent {sent} follow-up reminder{'' if sent == 1 else 's'}.")
        return
    jobs.enqueue("outcomes.send_reminders")
    db.session.commit()
    config = current_app.config
    if config["JOBS_REDIS_URL"]:
        click.echo(f"Queued the follow-up reminders on {config['JOBS_QUEUE']}; "
                   "a `flask forum worker` will send them.")
    else:
        click.echo("JOBS_REDIS_URL is not set, so the follow-up reminders were sent here "
                   "(--now prints how many).")


@forum_cli.command("send-digests")
def send_digests_command() -> None:
    """Mail each member who chose daily mail one digest of what is new. Run daily (cron)."""
    from flask import current_app

    from forum import jobs

    jobs.enqueue("notify.send_digests")
    db.session.commit()
    if current_app.config["JOBS_REDIS_URL"]:
        click.echo(f"Queued the daily digests on {current_app.config['JOBS_QUEUE']}; "
                   "a `flask forum worker` will send them.")
    else:
        click.echo("Sent the daily digests.")


@forum_cli.command("purge-expired")
@committed
def purge_expired_command() -> None:
    """Delete expired data exports (files and rows) and release held names. Run daily."""
    from forum.accounts import held_names
    from forum.accounts.export import purge_expired

    now = utcnow()
    exports = purge_expired(now)
    names = held_names.release_expired(now)
    click.echo(f"Deleted {exports} expired export{'' if exports == 1 else 's'}; "
               f"released {names} held name{'' if names == 1 else 's'}.")


@forum_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
@click.option("--simple", is_flag=True,
              help="Run each job in this process, not in a forked child of it.")
def worker_command(burst: bool, simple: bool) -> None:
    """Run queued jobs. Start as many workers as the load needs, on any machines."""
    import logging

    from flask import current_app
    from flask.logging import default_handler

    from forum import jobs

    if not current_app.config["JOBS_REDIS_URL"]:
        raise click.UsageError("JOBS_REDIS_URL is not set: jobs run inline after each "
                               "commit, and there is no queue for a worker to take them from.")
    jobs.load_jobs()  # a broken job module fails here, not at its first job
    # The worker's output is its log: the jobs' starts and ends go beside RQ's own lines.
    jobs_log = logging.getLogger("forum.jobs")
    jobs_log.setLevel(logging.INFO)
    if not jobs_log.hasHandlers():
        jobs_log.addHandler(default_handler)
    if not simple:
        # Each job runs in a forked child; a connection pooled here would be shared with it.
        db.engine.dispose()
    # The scheduler puts retries back on the queue once their interval has passed.
    jobs.worker(simple=simple).work(burst=burst, with_scheduler=True)


def init_app(app: Flask) -> None:
    app.cli.add_command(forum_cli)
