"""Forms of the court set-up: a sitting, a judge's absence, a closure day, a confirmation.

The forms read what was typed (a time, a whole number, a date); the ranges and the rules
(slot length, the 6pm end, overlapping sittings, duplicate closures) live in court_services,
which the sitting form also asks so that every problem with the numbers shows at once.
"""

import re
from datetime import time

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, StopValidation, ValidationError

from fdac.forms import BaseForm, DateRequired, UKDateField, select_choices
from hearings import court_services as rules
from hearings.calendar import COURT_WEEKDAYS, WEEKDAYS

NOBODY = ""

# "10:00", "9:30", "14:30", "10am", "10.30am", "2:30 pm", "noon"; nothing looser.
_TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>am|pm)?$", re.I)


def parse_time(text: str) -> time | None:
    """A wall-clock time typed as people type it, or None when it is not one."""
    text = text.strip().lower().replace("a.m.", "am").replace("p.m.", "pm")
    if text in ("noon", "midday", "12 noon"):
        return time(12, 0)
    match = _TIME.match(text)
    if not match:
        return None
    hour, minute, half = int(match["hour"]), match["minute"], match["half"]
    if half is None and minute is None:
        return None  # "10" alone: morning or evening?
    minute = int(minute or 0)
    if minute > 59:
        return None
    if half is None:
        return time(hour, minute) if hour <= 23 else None
    if not 1 <= hour <= 12:
        return None
    return time(hour % 12 + (12 if half == "pm" else 0), minute)


class _TypedField(StringField):
    """A text box whose value is parsed; messages name the field. Empty: `required` message."""

    widget = GovTextInput()

    def __init__(self, label=None, validators=None, *, required: str, invalid: str, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required_message = required
        self.invalid_message = invalid

    def parse(self, text: str):
        raise NotImplementedError

    def show(self, value) -> str:
        return str(value)

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if text:
            self.data = self.parse(text)
            if self.data is None:
                raise ValueError(self.invalid_message)

    def pre_validate(self, form):
        if self.data is None and not self.process_errors:
            raise StopValidation(self.required_message)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else self.show(self.data)


class TimeOfDayField(_TypedField):
    def parse(self, text: str):
        return parse_time(text)

    def show(self, value) -> str:
        return f"{value:%H:%M}"


class WholeNumberField(_TypedField):
    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "spellcheck": "false"})
        super().__init__(label, validators, **kwargs)

    def parse(self, text: str):
        return int(text) if text.isdigit() else None


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
        description="For example, 10:00 or 10am. The session must end by 6pm.",
        required="Enter the time the session starts",
        invalid="Enter the session start time like 10:00, 14:30 or 10am",
        render_kw={"spellcheck": "false"},
    )
    slot_minutes = WholeNumberField(
        "Slot length in minutes",
        description="For example, 30. Each family's review takes one slot.",
        required="Enter the slot length in minutes",
        invalid="Slot length must be a whole number of minutes, like 30",
    )
    slots = WholeNumberField(
        "Number of slots",
        description="Up to 20",
        required="Enter the number of slots",
        invalid="Number of slots must be a whole number, like 6",
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


class ConfirmForm(BaseForm):
    """A CSRF-protected 'yes, do it' for retiring and removing."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())
