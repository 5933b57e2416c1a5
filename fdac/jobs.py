"""Which scheduled jobs exist and when they run, in one table.

They run in their own process (`flask fdac scheduler`), never in web workers, so one schedule
runs once however many web servers there are. Each job opens its own app context.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from fdac.contacts import jobs as contact_jobs
from fdac.dates import LONDON, london_today
from fdac.retention_jobs import run_retention
from hearings import jobs as hearing_jobs
from testing_results import jobs as testing_jobs


@dataclass(frozen=True)
class ScheduledJob:
    id: str
    run: Callable[[], None]
    trigger: str  # an APScheduler trigger name: "cron" or "interval"
    when: dict = field(default_factory=dict)  # the trigger's arguments, in Europe/London


def extend_hearing_plans() -> None:
    hearing_jobs.extend_plans(london_today())


def raise_flags() -> None:
    hearing_jobs.raise_flags(london_today())


def raise_contact_flags() -> None:
    contact_jobs.raise_contact_flags(london_today())


def raise_testing_flags() -> None:
    testing_jobs.raise_testing_flags(london_today())


# No job runs between 01:00 and 02:00, London time: on the last Sunday of March that hour does
# not happen, and on the last Sunday of October it happens twice (APScheduler 3 then keeps
# finding the second 01:30 due, and the scheduler would loop on it). A test walks every job's
# trigger across both changes of the clocks.
JOBS: list[ScheduledJob] = [
    # Nightly, before anyone looks: every active case's reviews booked to the horizon.
    ScheduledJob("extend-hearing-plans", extend_hearing_plans, "cron", {"hour": 2, "minute": 30}),
    # Each morning, after the night's planning: what the manager should look at today.
    ScheduledJob("raise-flags", raise_flags, "cron", {"hour": 6, "minute": 0}),
    # Then who was not seen enough last week, or for 7 days: flagged per parent.
    ScheduledJob("raise-contact-flags", raise_contact_flags, "cron", {"hour": 6, "minute": 15}),
    # Then whose testing is overdue (no test of any kind for more than 7 days): per parent.
    ScheduledJob("raise-testing-flags", raise_testing_flags, "cron", {"hour": 6, "minute": 30}),
    # Nightly, after the plan: closed cases past their retention period anonymised (0035).
    ScheduledJob("anonymise-closed-cases", run_retention, "cron", {"hour": 3, "minute": 30}),
]


def build_scheduler(app: Flask, jobs: list[ScheduledJob] = JOBS) -> BlockingScheduler:
    scheduler = BlockingScheduler(timezone=LONDON)
    for job in jobs:

        def in_app_context(run=job.run):
            with app.app_context():
                run()

        scheduler.add_job(
            in_app_context,
            job.trigger,
            id=job.id,
            replace_existing=True,
            coalesce=True,  # after downtime, run once, not once per missed time
            max_instances=1,
            **job.when,
        )
    return scheduler
