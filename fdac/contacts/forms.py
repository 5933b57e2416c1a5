"""Forms for a case's contacts and its own contact target.

They read what was typed; the rules (a parent of this family, not in the future, a length from
1 minute to 12 hours, practitioners of this team) are the service's and come back as FieldErrors.
"""

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from fdac.cases.phases import Phase
from fdac.contacts.kinds import MAX_MINUTES, ContactKind, ContactOutcome
from fdac.contacts.services import TARGET_PHASES, ContactEntry
from fdac.contacts.targets import MAX_TARGET
from fdac.forms import (
    BaseForm,
    DateRequired,
    Required,
    TimeOfDayField,
    UKDateField,
    WholeNumberField,
    note_field,
    select_choices,
)
from fdac.query_args import whole_id
from fdac.versions import VersionedForm


def _id(text) -> int | None:
    return whole_id(str(text)) if text else None


class ContactForm(BaseForm, VersionedForm):
    # Columns the audit trail names that the form edits under another name.
    version_aliases = {"at": "day", "practitioners": "practitioner_ids"}

    # Choices are not checked here: a parent or practitioner not on the list is refused by the
    # service with a message naming the field.
    parent_id = RadioField(
        "Parent",
        widget=GovRadioInput(),
        validators=[DataRequired("Select the parent")],
        validate_choice=False,
    )
    day = UKDateField(
        "Date",
        name_in_errors="date of the contact",
        description="For example, 4 1 2027",
        validators=[DateRequired()],
    )
    at_time = TimeOfDayField(
        "Time",
        name_in_errors="time of the contact",
        description="UK time. For example, 10:30am or 2pm",
        validators=[Required("Enter the time of the contact")],
        render_kw={"class": "govuk-input--width-5"},
    )
    practitioner_ids = SelectMultipleField(
        "Who took part",
        widget=GovCheckboxesInput(),
        description="Select everyone from the team who took part",
        validate_choice=False,
    )
    kind = RadioField(
        "Kind of contact",
        widget=GovRadioInput(),
        choices=select_choices((k.value, k.label) for k in ContactKind),
        validators=[DataRequired("Select the kind of contact")],
    )
    minutes = WholeNumberField(
        "Length",
        name_in_errors="length in minutes",
        example=45,
        description=f"In minutes, from 1 to {MAX_MINUTES} (12 hours)",
        validators=[Required("Enter the length of the contact in minutes")],
        render_kw={"class": "govuk-input--width-4"},
    )
    outcome = RadioField(
        "What happened",
        widget=GovRadioInput(),
        choices=select_choices((o.value, o.label) for o in ContactOutcome),
        description="A contact the parent missed or cancelled counts against them; "
        "one the team cancelled does not",
        validators=[DataRequired("Select what happened")],
    )
    note = note_field("Note (optional)")
    submit = SubmitField("Save contact", widget=GovSubmitInput())

    def set_choices(self, parents, practitioners) -> None:
        self.parent_id.choices = select_choices((p.id, p.name) for p in parents)
        self.practitioner_ids.choices = select_choices((u.id, u.name) for u in practitioners)

    def fill(self, entry: ContactEntry) -> None:
        self.parent_id.data = str(entry.parent_id) if entry.parent_id else None
        self.day.data = entry.day
        self.at_time.data = entry.at_time
        self.practitioner_ids.data = [str(i) for i in entry.practitioner_ids]
        self.kind.data = entry.kind.value
        self.minutes.data = entry.minutes
        self.outcome.data = entry.outcome.value
        self.note.data = entry.note

    def entry(self) -> ContactEntry:
        ids = tuple(_id(i) for i in self.practitioner_ids.data or [])
        return ContactEntry(
            parent_id=_id(self.parent_id.data),
            day=self.day.data,
            at_time=self.at_time.data,
            # An id that is not a number can be no one's: -1 is refused as not on the list.
            practitioner_ids=tuple(-1 if i is None else i for i in ids),
            kind=ContactKind(self.kind.data),
            minutes=self.minutes.data,
            outcome=ContactOutcome(self.outcome.data),
            note=self.note.data or "",
        )


class TargetForm(BaseForm, VersionedForm):
    # The phase whose target the form was opened at; its version (0: no own target then).
    opened_phase = HiddenField()
    phase = SelectField(
        "Phase",
        widget=GovSelect(),
        choices=select_choices((p.value, p.label) for p in TARGET_PHASES),
        validators=[DataRequired("Select the phase")],
    )
    per_week = WholeNumberField(
        "Attended contacts a week",
        name_in_errors="target",
        example=2,
        description=f"From 0 to {MAX_TARGET}. 0 means no contact is expected in that phase",
        validators=[Required("Enter the number of attended contacts a week")],
        render_kw={"class": "govuk-input--width-3"},
    )
    reason = TextAreaField(
        "Reason",
        widget=GovTextArea(),
        description="Why this case needs a target different from the team's. "
        "Shown on the contacts page",
        validators=[
            DataRequired("Enter the reason this case needs its own target"),
            Length(max=2000, message="Reason must be 2,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Save target", widget=GovSubmitInput())

    @property
    def chosen_phase(self) -> Phase | None:
        return Phase(self.phase.data) if self.phase.data in {p.value for p in Phase} else None

    def open_at_target(self, phase: Phase, own) -> None:
        """Note the phase shown and the version of its own target (0: none yet)."""
        self.opened_phase.data = phase.value
        self.version.data = str(own.version if own is not None else 0)

    def based_on_for(self, phase: Phase | None) -> int | None:
        """The version the save is based on: only when it sets the phase the form was opened
        at (choosing another phase opens nothing of it)."""
        return (
            self.based_on() if phase is not None and self.opened_phase.data == phase.value else None
        )
