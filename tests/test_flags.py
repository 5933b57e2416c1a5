"""Flags: one per (kind, case, subject), reopened when something new happens."""

from fdac.extensions import db
from fdac.flags import services as flags
from fdac.flags.models import Flag
from tests import factories


def test_a_flag_a_manager_dealt_with_stays_dealt_with_until_something_new_happens(team):
    case = factories.make_case(team)
    manager = factories.make_user("team_manager", team=team)
    message = "The review planned for 4 January 2027 could not be booked: judge away"
    flag = flags.raise_flag(case, "review_not_booked", "planned:2027-01-04", message)
    db.session.commit()
    flags.resolve(flag, by=manager)
    db.session.commit()

    # The nightly re-plan reports the same thing again: the manager has seen it.
    flags.raise_flag(case, "review_not_booked", "planned:2027-01-04", message)
    db.session.commit()
    assert not flag.is_open

    # Something new about it: it comes back, still one flag.
    flags.raise_flag(case, "review_not_booked", "planned:2027-01-04", message + ", sitting full")
    db.session.commit()
    assert flag.is_open
    assert db.session.query(Flag).count() == 1


def test_a_computed_flag_cleared_by_the_job_reopens_when_the_condition_returns(team):
    case = factories.make_case(team)
    flag = flags.raise_flag(case, "no_nlr_soon", "", "No review booked in the next 14 days")
    flags.clear_flag(case.id, "no_nlr_soon", "")
    db.session.commit()
    flags.raise_flag(case, "no_nlr_soon", "", "No review booked in the next 14 days")
    db.session.commit()
    assert flag.is_open


def test_each_computed_kind_is_kept_by_exactly_one_scheduled_job():
    from fdac.flags.kinds import FLAG_KINDS
    from fdac.jobs import JOBS

    job_ids = {job.id for job in JOBS}
    for kind, info in FLAG_KINDS.items():
        assert info.raised_by is None or info.raised_by in job_ids, kind
