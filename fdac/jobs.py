"""Which scheduled jobs exist and when they run, in one table.

They run in their own process (`flask fdac scheduler`), never in web workers, so one schedule
runs once however many web servers there are. Each job opens its own app context.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from fdac.dates import LONDON


@dataclass(frozen=True)
class ScheduledJob:
    id: str
    run: Callable[[], None]
    trigger: str  # an APScheduler trigger name: "cron" or "interval"
    when: dict = field(default_factory=dict)  # the trigger's arguments, in Europe/London


# Hearing planning and contact flags join this table with their issues.
JOBS: list[ScheduledJob] = []


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
