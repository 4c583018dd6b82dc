"""`flask jobs ...`: list the scheduled jobs and run one now."""
import click
from flask.cli import AppGroup

from portal.core.queue import vietnam_now
from portal.jobs.services import JOBS, job_table, run_job

jobs_cli = AppGroup("jobs", help="Scheduled jobs: list them, run one now.")


@jobs_cli.command("list")
def list_jobs():
    """Each job with its last run, its outcome and its next run (Vietnam time)."""
    for job, state, next_run in job_table():
        last = f"{vietnam_now(state.started_at):%d/%m/%Y %H:%M} {state.outcome}" if state and state.started_at else "never"
        click.echo(f"{job.name:20} last: {last:24} next: {vietnam_now(next_run):%d/%m/%Y %H:%M}")


@jobs_cli.command("run")
@click.argument("name", type=click.Choice(sorted(JOBS)))
def run(name: str):
    """Run one job now, in this process, and print what it did."""
    state = run_job(name)
    click.echo(f"{name}: {state.outcome}: {state.detail}")
    if state.outcome != "ok":
        raise SystemExit(1)
