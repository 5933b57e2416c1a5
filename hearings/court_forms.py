"""Forms of the court set-up: a sitting, a judge's absence, a closure day.

The forms read what was typed (a time, a whole number, a date: fdac.forms's fields); the ranges
and the rules (slot length, the 6pm end) live in court_rules, which the sitting form also asks so
that every problem with the numbers shows at once; overlapping sittings and duplicate closures
are court_services' to refuse.
"""

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from fdac.forms import (
    BaseForm,
    DateRequired,
    Required,
    TimeOfDayField,
    UKDateField,
    WholeNumberField,
    select_choices,
)
from hearings import court_rules as rules
from hearings.calendar import COURT_WEEKDAYS, WEEKDAYS

NOBODY = ""


def _judge_field(message: str) -> SelectField:
    # The service checks the judge belongs to the team, with a message that names the field.
    return SelectField(
        "Judge", widget=GovSelect(), validate_choice=False, validators=[DataRequired(message)]
    )


def _judge_choices(field, judges) -> None:
    field.choices = select_choices([(NOBODY, "Select a judge")] + [(j.id, j.name) for j in judges])


class SittingForm(BaseForm):
    weekday = RadioField(
        "Day of the week",
        widget=GovRadioInput(),
        choices=select_choices((d, WEEKDAYS[d]) for d in COURT_WEEKDAYS),
        validate_choice=False,  # the service refuses a day the court does not sit, by name
        validators=[DataRequired("Select the day of the week the court sits")],
    )
    starts_at = TimeOfDayField(
        "Session start time",
        name_in_errors="session start time",
        description="For example, 10:00 or 10am. The session must end by 6pm.",
        validators=[Required("Enter the time the session starts")],
    )
    slot_minutes = WholeNumberField(
        "Slot length in minutes",
        name_in_errors="slot length in minutes",
        description="For example, 30. Each family's review takes one slot.",
        validators=[Required()],
    )
    slots = WholeNumberField(
        "Number of slots",
        name_in_errors="number of slots",
        example=6,
        description="Up to 20",
        validators=[Required()],
    )
    judge_id = _judge_field("Select the judge who sits")
    submit = SubmitField("Save sitting", widget=GovSubmitInput())

    def set_judges(self, judges) -> None:
        _judge_choices(self.judge_id, judges)

    # The service's rules, run here too so every problem shows at once, not one per submit.
    def validate_weekday(self, field):
        day = field.data if isinstance(field.data, str) and field.data.isdigit() else None
        _refuse(rules.weekday_problem(int(day) if day else None))

    def validate_slot_minutes(self, field):
        if field.data is not None:  # empty or not a number: already said
            _refuse(rules.slot_minutes_problem(field.data))

    def validate_slots(self, field):
        if field.data is not None:
            _refuse(rules.slots_problem(field.data))


def _refuse(problem: str | None) -> None:
    if problem:
        raise ValidationError(problem)


class AbsenceForm(BaseForm):
    judge_id = _judge_field("Select the judge who is away")
    first_day = UKDateField(
        "First day away",
        name_in_errors="first day of the absence",
        description="For example, 27 3 2027",
        validators=[DateRequired()],
    )
    last_day = UKDateField(
        "Last day away",
        name_in_errors="last day of the absence",
        description="The same as the first day for a single day",
        validators=[DateRequired()],
    )
    reason = StringField(
        "Reason (optional)",
        widget=GovTextInput(),
        description="For example, annual leave or training",
        validators=[Length(max=200, message="Reason must be 200 characters or fewer")],
    )
    submit = SubmitField("Save absence", widget=GovSubmitInput())

    def set_judges(self, judges) -> None:
        _judge_choices(self.judge_id, judges)


class ClosureForm(BaseForm):
    day = UKDateField(
        "Date the court is closed",
        name_in_errors="date the court is closed",
        description="For example, 27 3 2027. Weekends and bank holidays are closed already.",
        validators=[DateRequired()],
    )
    reason = StringField(
        "Reason",
        widget=GovTextInput(),
        description="For example, staff training or building works",
        validators=[
            DataRequired("Enter why the court is closed"),
            Length(max=200, message="Reason must be 200 characters or fewer"),
        ],
    )
    submit = SubmitField("Save closure day", widget=GovSubmitInput())
