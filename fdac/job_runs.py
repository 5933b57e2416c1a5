"""How a scheduled job writes: one unit (a case, a team) a commit, retried after a lost race.

Two schedulers running the same job, or a job running beside a person's change, can both try to
write the same row; unique constraints refuse the second, and a record's version (fdac/versions)
refuses an update based on a version someone else has since moved on. The loser rolls back and
runs its unit again, and the retry sees the winner's rows and writes nothing or builds on them.
"""

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from fdac.extensions import db

log = logging.getLogger(__name__)

# A race lost on a unique constraint is retried once: the retry sees the other run's rows.
INTEGRITY_RETRIES = 1
# SQLite allows one writer at a time: a writer that finds the file locked waits and tries again.
LOCKED_RETRIES = 5
LOCKED_PAUSE_SECONDS = 0.2


@dataclass
class JobResult:
    done: int = 0  # cases (extend_plans) or teams (raise_flags) brought up to date
    changed: int = 0  # hearings booked or moved, or flags raised or cleared
    failed: list[int] = field(default_factory=list)  # case or team ids given up on


def _is_locked(error: OperationalError) -> bool:
    return "database is locked" in str(error.orig).lower()


def commit_with_retry(work: Callable[[], int], what: str) -> int | None:
    """Run `work` and commit; after a lost race roll back and run it again.

    Returns what `work` returned, or None when it still failed (logged, so one stubborn case
    does not stop the job for everyone else).
    """
    conflicts = locks = 0
    while True:
        try:
            changed = work()
            db.session.commit()
            return changed
        except (IntegrityError, StaleDataError):  # a row added, or a version moved, meanwhile
            db.session.rollback()
            conflicts += 1
            if conflicts > INTEGRITY_RETRIES:
                log.exception("Gave up on %s: another run keeps writing the same rows", what)
                return None
        except OperationalError as error:
            db.session.rollback()
            locks += 1
            if not _is_locked(error) or locks > LOCKED_RETRIES:
                log.exception("Gave up on %s", what)
                return None
            time.sleep(LOCKED_PAUSE_SECONDS * locks)


def tally(units: Iterable[int], run_one: Callable[[int], int | None], what: str) -> JobResult:
    """Run `run_one` for each unit (a case or team id) in the order given, each committing on its
    own and returning how many rows it changed, or None when it gave up; the job's result,
    logged."""
    result = JobResult()
    for unit in units:
        changed = run_one(unit)
        if changed is None:
            result.failed.append(unit)
        else:
            result.done += 1
            result.changed += changed
    log.info(
        "%s: %d brought up to date, %d rows changed, %d failed",
        what,
        result.done,
        result.changed,
        len(result.failed),
    )
    return result
