"""The home page: each role starts where its work is; a team manager's is their dashboard."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager, selectinload

from fdac.auth.access import Action, can, visible_cases
from fdac.auth.roles import Role
from fdac.cases.models import Case
from fdac.dashboard.figures import figures as dashboard_figures
from fdac.dates import london_today
from fdac.extensions import db
from fdac.flags.kinds import FLAG_KINDS, FlagKind
from fdac.flags.models import Flag
from fdac.flags.services import open_flags
from fdac.graduations.services import percent
from hearings.kinds import HearingStatus
from hearings.models import Hearing

# The dashboard counts the week ahead; the calendar shows it.
WEEK_AHEAD = timedelta(days=7)
HEARING_SUBJECT = "hearing:"


@dataclass(frozen=True)
class FlagRow:
    flag: Flag
    hearing_href: str | None  # set when the flag is about one hearing
    resolvable: bool  # a person marks it dealt with; computed kinds clear themselves


@dataclass(frozen=True)
class FlagGroup:
    kind: str
    info: FlagKind
    rows: list[FlagRow]


@dataclass(frozen=True)
class FlagCount:
    kind: str
    info: FlagKind
    count: int  # open flags of this kind; the group's table on the page lists them


def home():
    """Each role starts where its work is."""
    if can(current_user, Action.MANAGE_USERS):
        return redirect(url_for("users.index"))
    if can(current_user, Action.VIEW_FLAGS):
        return _dashboard(london_today())
    if current_user.role is Role.JUDGE:
        return redirect(url_for("calendar.day"))  # their own list for today
    if current_user.role is Role.LAB:
        return redirect(url_for("tokens.mine"))  # a lab works through the API: its tokens
    return redirect(url_for("cases.index"))


def _dashboard(today: date):
    cases = visible_cases(current_user)
    groups = flag_groups(open_flags(cases))
    return render_template(
        "home/dashboard.html",
        team=current_user.team,
        groups=groups,
        flag_counts=job_flag_counts(groups),
        numbers=dashboard_figures(current_user, cases, today),
        percent=percent,
        today=today,
        todays_hearings=hearings_on(cases, today),
        week_ahead=hearings_between(cases, today + timedelta(days=1), today + WEEK_AHEAD),
    )


def flag_groups(flags: list[Flag]) -> list[FlagGroup]:
    """Open flags grouped by kind, in the order of the FLAG_KINDS table."""
    rows: dict[str, list[FlagRow]] = {kind: [] for kind in FLAG_KINDS}
    for flag in flags:
        rows[flag.kind].append(
            FlagRow(
                flag=flag,
                hearing_href=_hearing_href(flag),
                resolvable=not FLAG_KINDS[flag.kind].computed,
            )
        )
    return [FlagGroup(kind, FLAG_KINDS[kind], found) for kind, found in rows.items() if found]


def job_flag_counts(groups: list[FlagGroup]) -> list[FlagCount]:
    """How many open flags of each kind the morning jobs raise, zeros included, in table order."""
    found = {group.kind: len(group.rows) for group in groups}
    return [
        FlagCount(kind, info, found.get(kind, 0))
        for kind, info in FLAG_KINDS.items()
        if info.computed
    ]


def _hearing_href(flag: Flag) -> str | None:
    hearing_id = flag.subject.removeprefix(HEARING_SUBJECT)
    if not flag.subject.startswith(HEARING_SUBJECT) or not hearing_id.isdigit():
        return None
    return url_for("hearings.show", reference=flag.case.reference, hearing_id=int(hearing_id))


def hearings_on(cases: Select, day: date) -> list[Hearing]:
    """The day's hearings of the cases `cases` selects, in time order."""
    visible = cases.with_only_columns(Case.id)
    return list(
        db.session.scalars(
            select(Hearing)
            .join(Hearing.case)
            .where(
                Hearing.case_id.in_(visible),
                Hearing.day == day,
                Hearing.status != HearingStatus.CANCELLED,
            )
            .options(contains_eager(Hearing.case), selectinload(Hearing.judge))
            .order_by(Hearing.starts_at, Case.reference)
        )
    )


def hearings_between(cases: Select, first: date, last: date) -> int:
    """How many hearings of the cases `cases` selects fall from `first` to `last`, inclusive."""
    visible = cases.with_only_columns(Case.id)
    return db.session.scalar(
        select(func.count(Hearing.id)).where(
            Hearing.case_id.in_(visible),
            Hearing.day.between(first, last),
            Hearing.status != HearingStatus.CANCELLED,
        )
    )
