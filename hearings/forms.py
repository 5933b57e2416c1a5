"""Forms for a case's hearings: plan reviews, book, move, cancel, outcome, extension.

They check the shape of what was typed; the rules (court days, the judge away, the family in
court that day, a full sitting, the 26-week clock) are the services' and come back as FieldErrors.
"""

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from fdac.dates import uk_time
from fdac.forms import (
    BaseForm,
    DateRequired,
    Required,
    TimeOfDayField,
    UKDateField,
    WholeNumberField,
    select_choices,
)
from fdac.versions import VersionedForm
from hearings.kinds import KINDS, HearingKind
from hearings.timings import NLR_INTERVAL


class Between:
    """A whole number from `low` to `high`; says nothing when the field is empty or unreadable."""

    def __init__(self, low: int, high: int, message: str):
        self.low, self.high, self.message = low, high, message

    def __call__(self, form, field):
        if field.data is not None and not self.low <= field.data <= self.high:
            raise ValidationError(self.message)


def _reason(label: str, message: str, **kwargs) -> TextAreaField:
    return TextAreaField(
        label,
        widget=GovTextArea(),
        validators=[
            DataRequired(message),
            Length(max=2000, message=f"{label} must be 2,000 characters or fewer"),
        ],
        **kwargs,
    )


def _usual_lengths() -> str:
    return ", ".join(f"{info.short} {info.default_minutes}" for info in KINDS.values())


class PlanReviewsForm(BaseForm):
    first_nlr_on = UKDateField(
        "Date of the first review",
        name_in_errors="date of the first review",
        description=f"Reviews follow every {NLR_INTERVAL.days} days from here, on the sitting's "
        "weekday. For example, 4 1 2027",
        validators=[DateRequired()],
    )
    sitting_id = RadioField(
        "Sitting", widget=GovRadioInput(), validators=[DataRequired("Select the sitting")]
    )
    horizon = WholeNumberField(
        "Plan this many weeks ahead",
        name_in_errors="number of weeks ahead",
        description="From 1 to 52 weeks. Reviews stop the day before the IRH if it comes first",
        validators=[
            Required("Enter the number of weeks ahead to plan"),
            Between(1, 52, "Plan from 1 to 52 weeks ahead"),
        ],
        render_kw={"class": "govuk-input--width-3"},
    )
    submit = SubmitField("Plan reviews", widget=GovSubmitInput())

    def set_sittings(self, sittings) -> None:
        self.sitting_id.choices = select_choices(
            (
                s.id,
                f"{s.weekday_name}s at {uk_time(s.starts_at)}: "
                f"{s.slots} slots of {s.slot_minutes} minutes",
            )
            for s in sittings
        )


class _WhenForm(BaseForm):
    day = UKDateField(
        "Date",
        name_in_errors="hearing date",
        description="For example, 4 1 2027",
        validators=[DateRequired()],
    )
    starts_at = TimeOfDayField(
        "Start time",
        name_in_errors="start time",
        description="For example, 10:30am or 2pm. A review takes the first free slot of "
        "the judge's sitting, so its time comes from the slot",
        validators=[Optional()],
        render_kw={"class": "govuk-input--width-5"},
    )
    judge_id = SelectField(
        "Judge", widget=GovSelect(), validators=[DataRequired("Select the judge")]
    )

    def set_judges(self, judges) -> None:
        self.judge_id.choices = select_choices((j.id, j.name) for j in judges)


class BookHearingForm(_WhenForm):
    kind = RadioField(
        "Kind of hearing",
        widget=GovRadioInput(),
        choices=select_choices((k.value, k.label) for k in HearingKind),
        validators=[DataRequired("Select the kind of hearing")],
    )
    duration_minutes = WholeNumberField(
        "Length in minutes",
        name_in_errors="length in minutes",
        description=f"Leave empty for the usual length ({_usual_lengths()} minutes). "
        "A review lasts one slot of its sitting",
        validators=[Optional()],
        render_kw={"class": "govuk-input--width-4"},
    )
    submit = SubmitField("Book hearing", widget=GovSubmitInput())


class MoveHearingForm(_WhenForm, VersionedForm):
    reason = _reason("Reason for the move", "Enter the reason for the move")
    submit = SubmitField("Move hearing", widget=GovSubmitInput())


class CancelHearingForm(BaseForm, VersionedForm):
    reason = _reason("Reason for cancelling", "Enter the reason for cancelling the hearing")
    submit = SubmitField("Cancel hearing", widget=GovSubmitInput())


class ExtensionForm(BaseForm):
    granted_on = UKDateField(
        "Date granted",
        name_in_errors="date granted",
        description="The day the court extended the time limit. For example, 4 1 2027",
        validators=[DateRequired()],
    )
    weeks = WholeNumberField(
        "Weeks",
        name_in_errors="number of weeks",
        example=4,
        description="Each extension is of up to 8 weeks (Children Act 1989 s.32(5))",
        validators=[Required("Enter the number of weeks, from 1 to 8")],
        render_kw={"class": "govuk-input--width-3"},
    )
    reason = _reason("Reason", "Enter the reason the court gave for the extension")
    submit = SubmitField("Record extension", widget=GovSubmitInput())


ATTENDED = select_choices([("yes", "Attended"), ("no", "Did not attend")])


def _goals(required: bool) -> TextAreaField:
    shown = "Shown on the case page at the next review"
    return TextAreaField(
        "Goals for the next fortnight",
        widget=GovTextArea(),
        description=f"Required after a review. {shown}" if required else shown,
        validators=[
            DataRequired("Enter the goals for the next fortnight") if required else Optional(),
            Length(max=2000, message="Goals must be 2,000 characters or fewer"),
        ],
    )


def outcome_form(parents, *, amending: bool, goals_required: bool):
    """The outcome form for these parents: one 'attended' question each, a reason to amend.

    Fields are made here, in the order the page shows them, so the error summary follows it.
    """
    fields = {
        f"attended_{parent.id}": RadioField(
            f"Did {parent.name} attend?",
            widget=GovRadioInput(),
            choices=ATTENDED,
            validators=[DataRequired(f"Select whether {parent.name} attended")],
        )
        for parent in parents
    }
    fields["others_present"] = StringField(
        "Others present",
        widget=GovTextInput(),
        description="For example, keyworker, social worker, children's guardian",
        validators=[Length(max=500, message="Others present must be 500 characters or fewer")],
    )
    fields["goals"] = _goals(goals_required)
    fields["note"] = _reason("Note of the hearing", "Enter a note of the hearing")
    if amending:
        fields["amend_reason"] = _reason(
            "Reason for the amendment",
            "Enter the reason for the amendment",
            description="The earlier version stays on record, marked as amended",
        )
    fields["submit"] = SubmitField(
        "Save amendment" if amending else "Save outcome", widget=GovSubmitInput()
    )
    form = type("OutcomeForm", (BaseForm, VersionedForm), fields)()
    form.parent_fields = [(parent, form[f"attended_{parent.id}"]) for parent in parents]
    return form
