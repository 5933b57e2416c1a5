"""No lost updates: records that carry a version, and the refusal of an edit based on an old one.

docs/decisions/0034-no-lost-updates.md. An editable model declares

    version: Mapped[int] = versions.column()
    __mapper_args__ = {"version_id_col": version}

and SQLAlchemy then writes every UPDATE of its row as `... WHERE id = ? AND version = N`,
raising StaleDataError when no row matched (someone else's change committed first). The hook
below makes sure every change a person can see in the audit trail makes a new version, a change
to a collection alone (a contact's practitioners, which writes no column of the row) included:
so `changes_since` can show a person exactly what changed after the version their form was
based on.

Two layers, one message:
- the form carries the version it was opened at (a hidden field); `check` refuses a save based
  on another version before anything is written;
- two saves racing past that check (PostgreSQL, READ COMMITTED: both read version N) meet the
  `WHERE version = N`: the second updates no row, `commit` rolls it back and raises the same
  StaleEdit. (On SQLite a form post takes the write lock before its first read, so the check
  alone already sees the other's commit.)
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField

from fdac.dates import uk_date, uk_datetime
from fdac.extensions import db

MESSAGE = "This record was changed by someone else since you opened it"
SHOWN_CHANGES = 10  # the newest other changes listed; older ones are in the case history
FIELD_NAME = "version"  # the column, and the hidden form field that carries it


def column() -> Mapped[int]:
    """The version column of an editable record: 1 when inserted, one more at each update."""
    return mapped_column(default=1, server_default="1")


@dataclass(frozen=True)
class FieldChange:
    name: str  # the column
    before: object
    after: object


@dataclass(frozen=True)
class OtherChange:
    """One change someone else saved: who, when, which fields (from the audit trail)."""

    who: str
    at: datetime
    fields: tuple[FieldChange, ...]


class StaleEdit(Exception):
    """A save based on a version of the record that is no longer the current one: the version
    it has now, and the changes others made since (newest first)."""

    def __init__(self, current_version: int, changes: list[OtherChange]):
        super().__init__(MESSAGE)
        self.current_version = current_version
        self.changes = changes


def _bump_versions(session: Session, _flush_context, _instances) -> None:
    """Before a flush, set version N + 1 on every changed versioned record: SQLAlchemy would
    for a change of a column, but not for a change of a collection alone (the audit trail
    records that as an update of the record, so it must make a version too)."""
    for obj in list(session.dirty):
        state = inspect(obj)
        version_col = state.mapper.version_id_col
        if version_col is None or state.deleted or not state.has_identity:
            continue
        key = state.mapper.get_property_by_column(version_col).key
        if state.attrs[key].history.has_changes():
            continue  # set already in this flush
        collections = bool(getattr(obj, "__audit_collections__", ()))
        if session.is_modified(obj, include_collections=collections):
            setattr(obj, key, (getattr(obj, key) or 0) + 1)


def install() -> None:
    """Listen on every Session (idempotent)."""
    if not event.contains(Session, "before_flush", _bump_versions):
        event.listen(Session, "before_flush", _bump_versions)


install()  # on import: every module that declares a versioned model imports this one


def read_version(text) -> int | None:
    """The version a form was based on: None when it sent none (no form check, the database's
    check still applies), -1 when what it sent is no version (always stale)."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    text = str(text).strip()
    return int(text) if text.isdigit() and len(text) <= 9 else -1


def changes_since(record, based_on: int | None) -> list[OtherChange]:
    """The audited updates of `record` after version `based_on`, newest first, at most
    SHOWN_CHANGES (the newest ones when `based_on` is no version of it).

    Each update of a versioned row makes exactly one new version (the hook above) and exactly
    one audit row (fdac.audit.recorder, in the same flush), so the changes since version B of a
    record now at version V are its newest V - B audited updates.
    """
    from fdac.audit.models import AuditEvent  # the audit package imports the models

    current = record.version
    wanted = current - based_on if based_on is not None and 0 <= based_on < current else None
    state = inspect(record)
    record_id = ",".join(str(v) for v in state.mapper.primary_key_from_instance(record))
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.table_name == record.__tablename__,
            AuditEvent.record_id == record_id,
            AuditEvent.action == "update",
        )
        .order_by(AuditEvent.id.desc())
        .limit(min(wanted or SHOWN_CHANGES, SHOWN_CHANGES))
    )
    return [
        OtherChange(
            audit.actor_label,
            audit.at,
            tuple(
                FieldChange(name, values[0], values[1])
                for name, values in sorted(audit.changes.items())
                if name != FIELD_NAME
            ),
        )
        for audit in events
    ]


def stale(record, based_on: int | None) -> StaleEdit:
    return StaleEdit(record.version, changes_since(record, based_on))


def check(record, based_on: int | None) -> int:
    """Refuse (StaleEdit) a save based on a version of `record` other than its current one;
    call it before writing anything. `based_on` None: the form sent no version, and the save
    is taken as based on the version read now. Returns the version the save is based on."""
    if based_on is None:
        return record.version
    if based_on != record.version:
        db.session.rollback()
        raise stale(record, based_on)
    return based_on


def commit(record, based_on: int) -> None:
    """Commit; when another save of `record` committed first (the UPDATE matched no row at its
    version), roll back and raise StaleEdit."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise stale(record, based_on) from None


# ------------------------------------------------------------------------------ edit forms


class VersionedForm:
    """Mixed into an edit form: the hidden version it was opened at.

    The page renders the field with the `version_field` macro (templates/cases/_version.html),
    which also shows the other change when a save was refused. `version_aliases` names, for an
    audited column with no form field of its name, the form field that edits it.
    """

    version = HiddenField()
    version_aliases: dict[str, str] = {}
    other_changes: list = []

    def based_on(self) -> int | None:
        return read_version(self.version.data)

    def open_at(self, record) -> None:
        """Fill the hidden field from the record as it stands (on GET)."""
        self.version.data = str(record.version)


@dataclass(frozen=True)
class ShownChange:
    """An OtherChange as the page shows it: names and values in the form's own words."""

    who: str
    at: str
    fields: tuple[tuple[str, str, str], ...]  # (label, before, after)


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _choices(field) -> dict[str, str]:
    """{value: label} of a select, radio or checkbox field; {} for any other."""
    pairs = {}
    for choice in getattr(field, "choices", None) or ():
        value, label = (choice.value, choice.label) if hasattr(choice, "value") else choice[:2]
        pairs[str(value)] = str(label)
    return pairs


def _shown_value(field, value) -> str:
    choices = _choices(field)
    if value is None or value == []:
        return choices.get("", "(empty)")  # a choice of nobody, "Not allocated"
    if isinstance(value, list):
        return ", ".join(_shown_value(field, each) for each in value)
    if str(value) in choices:
        return choices[str(value)]
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return uk_date(date.fromisoformat(value))
    if isinstance(value, str) and _ISO_DATE.match(value) and "T" in value:
        try:
            return uk_datetime(datetime.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def show_stale(form, error: StaleEdit) -> None:
    """Turn a refused save into the page's answer: the message in the error summary, the other
    change shown, what the person typed kept, and the form now based on the current version,
    so that saving again applies their change over the other one."""
    form.version.errors = [MESSAGE]
    form.version.data = str(error.current_version)
    shown = []
    for change in error.changes:
        rows = []
        for each in change.fields:
            name = form.version_aliases.get(each.name, each.name)
            field = form._fields.get(name)
            label = field.label.text if field is not None else name.replace("_", " ")
            label = label[:1].upper() + label[1:]
            rows.append((label, _shown_value(field, each.before), _shown_value(field, each.after)))
        shown.append(ShownChange(change.who, uk_datetime(change.at), tuple(rows)))
    form.other_changes = shown


def refused_before_validation(form, record) -> bool:
    """On a post of a form whose choices follow the record (a phase move offers the phases after
    the current one), refuse a stale form before its fields are checked against choices that
    have moved on: True when refused (and shown)."""
    if not form.is_submitted():
        return False
    based_on = form.based_on()
    if based_on is None or based_on == record.version:
        return False
    show_stale(form, stale(record, based_on))
    return True
